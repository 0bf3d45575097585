using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Npgsql;

namespace Paseto.Auth.Seed;

/// <summary>
/// Writes entities of one type to their table with one binary <c>COPY</c>, every column as the EF
/// Core model maps it: the table's and the columns' names, each column's store type and each
/// property's value converter. The rows are therefore what <c>SaveChanges</c> would insert for
/// the same entities, and a renamed column or a new property needs no change here.
/// </summary>
/// <remarks>
/// <c>COPY</c> writes every column it names in every row, so it cannot leave a value to the
/// database row by row as <c>SaveChanges</c> does. A key the database generates (an identity) is
/// left out, or written from the caller's key when there is one; any other property the database
/// would fill must come set on the entity, or the copy fails naming it.
/// </remarks>
internal sealed class TableCopy<TEntity>
    where TEntity : class
{
    private readonly string _quotedTable;
    private readonly IReadOnlyList<Column> _columns;

    private TableCopy(string? schema, string table, IReadOnlyList<Column> columns)
    {
        Table = schema is null ? table : $"{schema}.{table}";
        _quotedTable = schema is null ? Quote(table) : $"{Quote(schema)}.{Quote(table)}";
        _columns = columns;
    }

    /// <summary>The schema-qualified table, as the model names it.</summary>
    public string Table { get; }

    private Column? Key => _columns.SingleOrDefault(c => c.IsKey);

    /// <summary>Plans the copy of <typeparamref name="TEntity"/> from the model.</summary>
    /// <param name="model">The EF Core model of the database.</param>
    /// <param name="withKey">Whether the caller gives each row's key when the database would generate it.</param>
    public static TableCopy<TEntity> Plan(IModel model, bool withKey)
    {
        var entityType = model.FindEntityType(typeof(TEntity))
            ?? throw new SeedException($"The EF Core model has no entity type {typeof(TEntity).Name}.");
        var tableName = entityType.GetTableName()
            ?? throw new SeedException($"{entityType.DisplayName()} is mapped to no table.");
        var schema = entityType.GetSchema();
        var table = StoreObjectIdentifier.Table(tableName, schema);
        var qualified = schema is null ? tableName : $"{schema}.{tableName}";
        var key = entityType.FindPrimaryKey();
        var columns = new List<Column>();
        foreach (var property in entityType.GetProperties())
        {
            var name = property.GetColumnName(table)
                ?? throw new SeedException($"{entityType.DisplayName()}.{property.Name} has no column in {qualified}.");
            var generatedKey = key?.Properties.Contains(property) == true && property.ValueGenerated != ValueGenerated.Never;
            if (generatedKey && !withKey)
            {
                continue;
            }

            if (property.IsShadowProperty())
            {
                throw new SeedException(
                    $"{qualified}.{name} is a shadow property of {entityType.DisplayName()}: the seed writes what the entities hold, and they do not hold it.");
            }

            var mapping = property.GetRelationalTypeMapping();
            var getter = property.GetGetter();
            var converter = mapping.Converter;
            var mustBeSet = property.ValueGenerated != ValueGenerated.Never && !generatedKey;
            var column = $"{qualified}.{name}";
            columns.Add(new Column(name, mapping.StoreTypeNameBase, generatedKey, entity =>
            {
                if (mustBeSet && getter.HasSentinelValueUsingContainingEntity(entity))
                {
                    throw new SeedException(
                        $"{column} is left to the database's default by this entity, and COPY writes every column it names: give it a value in the Domain factory, or teach the seed to leave the column out.");
                }

                var value = getter.GetClrValueUsingContainingEntity(entity);
                return value is null || converter is null ? value : converter.ConvertToProvider(value);
            }));
        }

        return new TableCopy<TEntity>(schema, tableName, columns);
    }

    /// <summary>
    /// Copies one row for each of <paramref name="rows"/>, made by <paramref name="entity"/>; with a
    /// plan made <c>withKey</c>, <paramref name="key"/> gives the key the database would otherwise generate.
    /// Returns the number of rows written.
    /// </summary>
    public async Task<ulong> WriteAsync<TRow>(
        NpgsqlConnection connection,
        IEnumerable<TRow> rows,
        Func<TRow, TEntity> entity,
        Func<TRow, object>? key,
        CancellationToken cancellationToken)
    {
        if (Key is not null && key is null)
        {
            throw new InvalidOperationException($"This plan writes the keys of {Table}: give them.");
        }

        var names = string.Join(", ", _columns.Select(c => Quote(c.Name)));
        try
        {
            await using var importer = await connection.BeginBinaryImportAsync($"COPY {_quotedTable} ({names}) FROM STDIN (FORMAT BINARY)", cancellationToken);
            // Npgsql's default, the command timeout (30 s), is about what a million rows take on a busy machine.
            importer.Timeout = TimeSpan.FromMinutes(10);
            foreach (var row in rows)
            {
                var item = entity(row);
                importer.StartRow();
                foreach (var column in _columns)
                {
                    var value = column.IsKey ? key!(row) : column.Read(item);
                    if (value is null)
                    {
                        importer.WriteNull();
                    }
                    else
                    {
                        importer.Write(value, column.DataTypeName);
                    }
                }
            }

            return await importer.CompleteAsync(cancellationToken);
        }
        catch (PostgresException e)
        {
            var where = e.Where is null ? string.Empty : $" ({e.Where})";
            throw new SeedException($"Copying into {Table} failed: {e.SqlState} {e.MessageText}{where}.{Hint(e.SqlState)}", e);
        }
    }

    /// <summary>What to check for the errors a seed meets.</summary>
    private static string Hint(string sqlState) => sqlState switch
    {
        PostgresErrorCodes.UndefinedTable or PostgresErrorCodes.UndefinedColumn or PostgresErrorCodes.NotNullViolation
            or PostgresErrorCodes.DatatypeMismatch or PostgresErrorCodes.InvalidBinaryRepresentation
            => " The database and the EF Core model of this build disagree: is the database migrated by this build (the API's migrate verb)?",
        PostgresErrorCodes.UniqueViolation => " Some of these rows are there already: seed a fresh database, or other ranges.",
        PostgresErrorCodes.ForeignKeyViolation => " Sessions and posts belong to seeded users: seed those users first, with the same --id-offset.",
        _ => string.Empty,
    };

    /// <summary>
    /// Moves the sequence of the generated key to at least <paramref name="last"/>, so the keys up
    /// to it are the seed's and the rows the API inserts next never collide with them.
    /// </summary>
    public async Task ReserveKeysAsync(NpgsqlConnection connection, long last, CancellationToken cancellationToken)
    {
        var key = Key ?? throw new InvalidOperationException($"{Table} has no key the database generates, or this plan leaves it out.");
        await using var command = new NpgsqlCommand(
            "SELECT setval(s.name, greatest($3, pg_sequence_last_value(s.name::regclass))) FROM (SELECT pg_get_serial_sequence($1, $2) AS name) s",
            connection);
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = _quotedTable });
        command.Parameters.Add(new NpgsqlParameter<string> { TypedValue = key.Name });
        command.Parameters.Add(new NpgsqlParameter<long> { TypedValue = last });
        await command.ExecuteScalarAsync(cancellationToken);
    }

    private static string Quote(string identifier) => $"\"{identifier.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";

    [DebuggerDisplay("{Name} {DataTypeName}")]
    private sealed record Column(string Name, string DataTypeName, bool IsKey, Func<TEntity, object?> Read);
}
