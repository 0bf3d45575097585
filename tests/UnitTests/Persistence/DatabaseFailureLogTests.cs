using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Paseto.Auth.Infrastructure.Persistence;

namespace Paseto.Auth.UnitTests.Persistence;

public sealed class DatabaseFailureLogTests
{
    private FakeTimeProvider _time = null!;
    private Lines _lines = null!;

    [SetUp]
    public void Start()
    {
        _time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        _lines = new Lines();
    }

    private static PostgresException Refused() => new("password authentication failed for user \"paseto\"", "FATAL", "FATAL", PostgresErrorCodes.InvalidPassword);

    [Test]
    public void Refused_credentials_reported_by_a_burst_are_logged_once()
    {
        var log = new DatabaseFailureLog(_lines, _time);

        Parallel.For(0, 200, _ => log.Report(Refused()));

        Assert.That(_lines.Messages, Has.Count.EqualTo(1));
        Assert.That(_lines.Messages.Single(), Does.Contain("refused the credentials").And.Contain("28P01").And.Contain("ConnectionStrings__Postgres or DATABASE_URL"));
    }

    [Test]
    public void Refused_credentials_are_logged_again_once_the_interval_has_passed()
    {
        var log = new DatabaseFailureLog(_lines, _time);
        log.Report(Refused());

        _time.Advance(DatabaseFailureLog.Interval - TimeSpan.FromSeconds(1));
        log.Report(Refused());
        _time.Advance(TimeSpan.FromSeconds(1));
        log.Report(Refused());

        Assert.That(_lines.Messages, Has.Count.EqualTo(2));
    }

    [TestCase(PostgresErrorCodes.InvalidSqlStatementName)]
    [TestCase(PostgresErrorCodes.DuplicatePreparedStatement)]
    public void A_lost_prepared_statement_is_logged_once_naming_the_setting_and_remembered(string sqlState)
    {
        var log = new DatabaseFailureLog(_lines, _time);
        Assert.That(log.PreparedStatementLostSeen, Is.False);

        Parallel.For(0, 200, _ => log.Report(new PostgresException("prepared statement \"_auto0\" does not exist", "ERROR", "ERROR", sqlState)));

        Assert.That(_lines.Messages, Has.Count.EqualTo(1));
        Assert.That(_lines.Messages.Single(), Does.Contain(sqlState).And.Contain("add Max Auto Prepare=0"));
        Assert.That(log.PreparedStatementLostSeen, Is.True);
        _time.Advance(DatabaseFailureLog.Interval);
        Assert.That(log.PreparedStatementLostSeen, Is.True, "a setting to fix, not a passing state");
    }

    [Test]
    public void Each_cause_has_its_own_quiet_time_and_other_failures_are_not_its_business()
    {
        var log = new DatabaseFailureLog(_lines, _time);

        log.Report(Refused());
        log.Report(new NpgsqlException("Failed to connect to 127.0.0.1:1", new System.Net.Sockets.SocketException(111)));
        log.Report(new PostgresException("duplicate key value violates unique constraint", "ERROR", "ERROR", PostgresErrorCodes.UniqueViolation));
        log.Report(new InvalidOperationException("a bug"));

        Assert.That(_lines.Messages, Has.Count.EqualTo(2));
        Assert.That(_lines.Messages.Last(), Does.Contain("does not answer").And.Contain("Failed to connect"));
    }

    private sealed class Lines : ILogger<DatabaseFailureLog>
    {
        private readonly ConcurrentQueue<string> _messages = new();

        public IReadOnlyCollection<string> Messages => _messages;

        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            _messages.Enqueue(formatter(state, exception));
    }
}
