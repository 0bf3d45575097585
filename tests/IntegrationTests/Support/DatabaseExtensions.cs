using Npgsql;

namespace Paseto.Auth.IntegrationTests.Support;

public static class DatabaseExtensions
{
    /// <summary>Reads one value straight from the database, bypassing the API.</summary>
    public static async Task<T?> ScalarAsync<T>(this NpgsqlDataSource database, string sql, params object[] parameters)
    {
        await using var command = database.CreateCommand(sql);
        foreach (var parameter in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = parameter });
        }

        var value = await command.ExecuteScalarAsync();
        return value is null or DBNull ? default : (T)value;
    }
}
