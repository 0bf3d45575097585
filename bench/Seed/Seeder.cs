using System.Diagnostics;
using System.Globalization;
using Microsoft.EntityFrameworkCore.Metadata;
using Npgsql;
using Paseto.Auth.Domain.Posts;
using Paseto.Auth.Domain.Sessions;
using Paseto.Auth.Domain.Users;

namespace Paseto.Auth.Seed;

/// <summary>Writes what the options ask for: the users first, since sessions and posts belong to them.</summary>
internal sealed class Seeder(IModel model, NpgsqlConnection connection, SeedOptions options)
{
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var rows = new BenchRows(options.PasswordHash ?? string.Empty, DateTimeOffset.UtcNow);
        var users = TableCopy<User>.Plan(model, withKey: true);
        if (options.Users is { } userRange)
        {
            await CopyAsync(users, userRange, rows.User, k => UserId(k), cancellationToken);
        }

        if (options.ReserveUsers is { } reserve)
        {
            await users.ReserveKeysAsync(connection, UserId(reserve), cancellationToken);
        }

        if (options.Sessions is { } sessions)
        {
            await CopyAsync(TableCopy<Session>.Plan(model, withKey: false), sessions, k => rows.Session(k, UserId(k)), key: null, cancellationToken);
        }

        if (options.Posts is { } posts)
        {
            await CopyAsync(TableCopy<Post>.Plan(model, withKey: false), posts, k => BenchRows.Post(k, UserId(k)), key: null, cancellationToken);
        }
    }

    private int UserId(long k) => checked((int)(options.IdOffset + k));

    private async Task CopyAsync<TEntity>(
        TableCopy<TEntity> copy, SeedRange range, Func<long, TEntity> entity, Func<long, object>? key, CancellationToken cancellationToken)
        where TEntity : class
    {
        var clock = Stopwatch.StartNew();
        var written = await copy.WriteAsync(connection, range.Numbers(), entity, key, cancellationToken);
        await Console.Error.WriteLineAsync(string.Create(
            CultureInfo.InvariantCulture, $"seed: {copy.Table} {range}: {written} rows in {clock.Elapsed.TotalSeconds:F1} s"));
    }
}
