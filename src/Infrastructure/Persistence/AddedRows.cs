using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;
using Paseto.Auth.Domain.Devices;
using Paseto.Auth.Domain.Email;
using Paseto.Auth.Domain.SecurityEvents;
using Paseto.Auth.Domain.Sessions;

namespace Paseto.Auth.Infrastructure.Persistence;

/// <summary>
/// Writes a unit of work that only adds rows to the tables every login writes (sessions, devices,
/// security events, the mail outbox) as one batch of <c>INSERT</c>s. Entity Framework's
/// <c>SaveChanges</c> builds each statement's text, its column list and its parameters anew on
/// every call, which was the largest part of a login's CPU after the hash; here each table's
/// statement is made once, from the model, so a column added to the model is written here too,
/// and each value goes through the model's own type mapping (its converter included). Anything
/// else in the unit of work (an update, a deletion, another table) leaves it to
/// <c>SaveChanges</c>.
/// </summary>
internal static class AddedRows
{
    private static readonly HashSet<Type> _tables = [typeof(Session), typeof(Device), typeof(SecurityEvent), typeof(OutboxMessage)];
    private static readonly ConcurrentDictionary<IEntityType, Statement> _statements = new();

    /// <summary>Only creates parameters; no command is ever run on it.</summary>
    private static readonly NpgsqlCommand _parameterFactory = new();

    /// <summary>
    /// Inserts the tracked additions in one round trip and marks them saved (with the identities
    /// the database gave them); false, having written nothing, when the unit of work holds
    /// anything else or a value the database would default.
    /// </summary>
    public static async Task<bool> TryInsertAsync(AuthDbContext db, CancellationToken cancellationToken)
    {
        var added = new List<EntityEntry>();
        foreach (var entry in db.ChangeTracker.Entries())
        {
            switch (entry.State)
            {
                case EntityState.Unchanged or EntityState.Detached:
                    continue;
                case EntityState.Added when _tables.Contains(entry.Metadata.ClrType):
                    added.Add(entry);
                    continue;
                default:
                    return false;
            }
        }

        if (added.Count == 0)
        {
            return false;
        }

        var commands = new List<(EntityEntry Entry, Statement Statement)>(added.Count);
        var batch = new NpgsqlBatch();
        await using (batch)
        {
            foreach (var entry in added)
            {
                var statement = _statements.GetOrAdd(entry.Metadata, Statement.For);
                var command = statement.TryCreate(entry);
                if (command is null)
                {
                    return false;
                }

                batch.BatchCommands.Add(command);
                commands.Add((entry, statement));
            }

            await db.Database.OpenConnectionAsync(cancellationToken);
            try
            {
                batch.Connection = (NpgsqlConnection)db.Database.GetDbConnection();
                batch.Transaction = db.Database.CurrentTransaction?.GetDbTransaction() as NpgsqlTransaction;
                await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
                // The reader moves from one RETURNING to the next; the statements without one have no result set.
                foreach (var (entry, statement) in commands)
                {
                    if (statement.Returned is not { } returned)
                    {
                        continue;
                    }

                    if (!await reader.ReadAsync(cancellationToken))
                    {
                        throw new InvalidOperationException($"The insert into {statement.Table} returned no {returned.Name}.");
                    }

                    var identity = entry.Property(returned.Name);
                    identity.CurrentValue = reader.GetValue(0);
                    identity.IsTemporary = false;
                    await reader.NextResultAsync(cancellationToken);
                }
            }
            finally
            {
                await db.Database.CloseConnectionAsync();
            }
        }

        foreach (var entry in added)
        {
            entry.State = EntityState.Unchanged;
        }

        return true;
    }

    /// <summary>One table's <c>INSERT</c>: every column but the identity, which it returns.</summary>
    private sealed class Statement
    {
        private readonly IProperty[] _columns;
        private readonly bool[] _databaseDefault;

        private Statement(string table, string sql, IProperty[] columns, IProperty? returned)
        {
            Table = table;
            Sql = sql;
            _columns = columns;
            _databaseDefault = [.. columns.Select(c => c.ValueGenerated != ValueGenerated.Never)];
            Returned = returned;
        }

        public string Table { get; }

        public string Sql { get; }

        public IProperty? Returned { get; }

        public static Statement For(IEntityType type)
        {
            var table = StoreObjectIdentifier.Table(type.GetTableName()!, type.GetSchema());
            IProperty? returned = null;
            var columns = new List<IProperty>();
            foreach (var property in type.GetProperties())
            {
                if (property.GetValueGenerationStrategy(table) is NpgsqlValueGenerationStrategy.IdentityAlwaysColumn
                    or NpgsqlValueGenerationStrategy.IdentityByDefaultColumn or NpgsqlValueGenerationStrategy.SerialColumn)
                {
                    returned = returned is null ? property : throw new NotSupportedException($"{type.Name} has two generated keys.");
                    continue;
                }

                columns.Add(property);
            }

            var name = $"\"{table.Schema}\".\"{table.Name}\"";
            var sql = $"INSERT INTO {name} ({string.Join(", ", columns.Select(c => $"\"{c.GetColumnName(table)}\""))}) "
                + $"VALUES ({string.Join(", ", columns.Select((_, i) => $"${i + 1}"))})"
                + (returned is null ? string.Empty : $" RETURNING \"{returned.GetColumnName(table)}\"");
            return new Statement(name, sql, [.. columns], returned);
        }

        /// <summary>
        /// The row of <paramref name="entry"/>; null when a column the database defaults has its
        /// CLR default (SaveChanges would leave it out, and so the database's default in).
        /// Values are read through the entry, so a shadow property (a foreign key without a
        /// property on the entity) is written as SaveChanges would write it.
        /// </summary>
        public NpgsqlBatchCommand? TryCreate(EntityEntry entry)
        {
            var command = new NpgsqlBatchCommand(Sql);
            for (var i = 0; i < _columns.Length; i++)
            {
                var column = _columns[i];
                var value = entry.CurrentValues[column];
                if (_databaseDefault[i] && Equals(value, column.Sentinel))
                {
                    return null;
                }

                var parameter = column.GetRelationalTypeMapping().CreateParameter(_parameterFactory, string.Empty, value, column.IsNullable);
                command.Parameters.Add((NpgsqlParameter)parameter);
            }

            return command;
        }
    }
}
