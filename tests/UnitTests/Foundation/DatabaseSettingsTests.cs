using Microsoft.Extensions.Configuration;
using Npgsql;
using Paseto.Auth.Infrastructure;
using Paseto.Auth.Infrastructure.Persistence;

namespace Paseto.Auth.UnitTests.Foundation;

public sealed class DatabaseSettingsTests
{
    [Test]
    public void Database_url_becomes_an_npgsql_connection_string()
    {
        var builder = new NpgsqlConnectionStringBuilder(DatabaseSettings.FromUrl("postgresql://al%40ice:p%3Ass@db.example:6543/paseto?sslmode=require"));

        Assert.Multiple(() =>
        {
            Assert.That(builder.Host, Is.EqualTo("db.example"));
            Assert.That(builder.Port, Is.EqualTo(6543));
            Assert.That(builder.Database, Is.EqualTo("paseto"));
            Assert.That(builder.Username, Is.EqualTo("al@ice"));
            Assert.That(builder.Password, Is.EqualTo("p:ss"));
            Assert.That(builder.SslMode, Is.EqualTo(SslMode.Require));
        });
    }

    [Test]
    public void The_data_source_prepares_statements_and_skips_the_pool_reset_by_default()
    {
        using var dataSource = DatabaseSettings.CreateDataSource("Host=localhost;Database=db");
        var builder = new NpgsqlConnectionStringBuilder(dataSource.ConnectionString);

        Assert.Multiple(() =>
        {
            Assert.That(builder.MaxAutoPrepare, Is.EqualTo(32));
            Assert.That(builder.NoResetOnClose, Is.True);
        });
    }

    [TestCase("Host=localhost;Database=db;No Reset On Close=false;Max Auto Prepare=5")]
    [TestCase("Host=localhost;Database=db;noresetonclose=False;MaxAutoPrepare=5")]
    public void The_data_source_keeps_pool_settings_the_operator_chose(string connectionString)
    {
        using var dataSource = DatabaseSettings.CreateDataSource(connectionString);
        var builder = new NpgsqlConnectionStringBuilder(dataSource.ConnectionString);

        Assert.Multiple(() =>
        {
            Assert.That(builder.MaxAutoPrepare, Is.EqualTo(5));
            Assert.That(builder.NoResetOnClose, Is.False);
        });
    }

    /// <summary>PgBouncer in transaction pooling (1.18) keeps no prepared statements: the operator must be able to turn them off.</summary>
    [TestCase("Host=localhost;Database=db;Max Auto Prepare=0")]
    [TestCase("Host=localhost;Database=db;maxautoprepare=0")]
    public void An_operator_can_turn_automatic_preparation_off(string connectionString)
    {
        using var dataSource = DatabaseSettings.CreateDataSource(connectionString);

        Assert.That(new NpgsqlConnectionStringBuilder(dataSource.ConnectionString).MaxAutoPrepare, Is.Zero);
    }

    [Test]
    public void Database_url_without_port_uses_5432()
    {
        var builder = new NpgsqlConnectionStringBuilder(DatabaseSettings.FromUrl("postgres://u:p@localhost/db"));

        Assert.That(builder.Port, Is.EqualTo(5432));
    }

    [Test]
    public void Database_url_of_another_scheme_is_refused()
    {
        var error = Assert.Throws<ConfigurationException>(() => DatabaseSettings.FromUrl("mysql://u:secret-password@localhost/db"));

        Assert.That(error!.Message, Does.Contain("DATABASE_URL").And.Not.Contain("secret-password"));
    }

    [Test]
    public void Connection_string_setting_wins_over_database_url()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = "Host=a;Database=b",
            ["DATABASE_URL"] = "postgresql://u:p@other/db",
        }).Build();

        Assert.That(DatabaseSettings.FindConnectionString(configuration), Is.EqualTo("Host=a;Database=b"));
    }

    [Test]
    public void A_database_url_without_a_host_is_refused()
    {
        Assert.Throws<ConfigurationException>(() => DatabaseSettings.FromUrl("postgresql://u:p@/db"));
    }

    [Test]
    public void Requiring_a_connection_string_without_a_setting_names_both_settings()
    {
        var error = Assert.Throws<ConfigurationException>(() => DatabaseSettings.RequireConnectionString(new ConfigurationBuilder().Build()));

        Assert.That(error!.Message, Does.Contain("ConnectionStrings__Postgres").And.Contain("DATABASE_URL"));
    }

    [TestCase("Host=localhost;Port=secret-port;Password=secret-password")]
    [TestCase("Host=localhost;Password='secret-password")]
    [TestCase("Host=localhost;No Such Keyword=secret-password")]
    public void A_malformed_connection_string_is_refused_without_quoting_it(string connectionString)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = connectionString,
        }).Build();

        var error = Assert.Throws<ConfigurationException>(() => DatabaseSettings.RequireConnectionString(configuration));

        Assert.That(error!.Message, Does.Contain("ConnectionStrings__Postgres").And.Not.Contain("secret"));
    }

    [Test]
    public void No_setting_means_no_connection_string()
    {
        var configuration = new ConfigurationBuilder().Build();

        Assert.That(DatabaseSettings.FindConnectionString(configuration), Is.Null);
    }
}
