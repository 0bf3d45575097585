using System.Text.Json.Serialization;
using Npgsql;
using NpgsqlTypes;
using Paseto.Auth.Ceiling;
using Paseto.Auth.Infrastructure.Persistence;

// The ceiling of scripts/bench.sh: the same machine, runtime, server and connection pool as the
// API, without the API. GET /ping is Kestrel alone; GET /db?id=N is one primary-key SELECT over
// raw Npgsql on a data source built by the API's own factory (same pool settings, MaxAutoPrepare).
// "hash-rate" measures bare Argon2id with the API's engine and parameters instead of serving;
// "otlp-sink" receives the instrumented API's OTLP exports (OtlpSink).
if (args is [HashRate.Verb, ..])
{
    return HashRate.Run(new ConfigurationBuilder().AddEnvironmentVariables().AddCommandLine(args[1..]).Build());
}

if (args is [OtlpSink.Verb, ..])
{
    return await OtlpSink.RunAsync(args[1..]);
}

var builder = WebApplication.CreateSlimBuilder(args);
builder.Services.ConfigureHttpJsonOptions(options => options.SerializerOptions.TypeInfoResolverChain.Insert(0, CeilingJson.Default));
var connectionString = DatabaseSettings.FindConnectionString(builder.Configuration)
    ?? throw new InvalidOperationException("Set ConnectionStrings__Postgres (or DATABASE_URL).");
await using var dataSource = DatabaseSettings.CreateDataSource(connectionString);

var app = builder.Build();
app.MapGet("/ping", () => "pong");
app.MapGet("/db", async (int id, CancellationToken cancellationToken) =>
{
    await using var command = dataSource.CreateCommand("SELECT id, username FROM paseto_auth.users WHERE id = $1");
    command.Parameters.Add(new NpgsqlParameter<int> { TypedValue = id, NpgsqlDbType = NpgsqlDbType.Integer });
    await using var reader = await command.ExecuteReaderAsync(System.Data.CommandBehavior.SingleRow, cancellationToken);
    return await reader.ReadAsync(cancellationToken)
        ? Results.Ok(new UserRow(reader.GetInt32(0), reader.GetString(1)))
        : Results.NotFound();
});
await app.RunAsync();
return 0;

internal sealed record UserRow(int Id, string Username);

[JsonSerializable(typeof(UserRow))]
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
internal sealed partial class CeilingJson : JsonSerializerContext;
