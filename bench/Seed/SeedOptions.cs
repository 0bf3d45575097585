using System.Globalization;

namespace Paseto.Auth.Seed;

/// <summary>An inclusive range of seed numbers, written <c>FIRST-LAST</c> (<c>1-1000</c>).</summary>
internal readonly record struct SeedRange(long First, long Last)
{
    public long Count => Last - First + 1;

    public IEnumerable<long> Numbers()
    {
        for (var k = First; k <= Last; k++)
        {
            yield return k;
        }
    }

    public static SeedRange Parse(string option, string text)
    {
        var parts = text.Split('-');
        return parts.Length == 2
            && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var first)
            && long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var last)
            && first >= 1 && first <= last
            ? new SeedRange(first, last)
            : throw new UsageException($"{option} takes FIRST-LAST, two whole numbers from 1 with FIRST <= LAST (1-1000); got '{text}'.");
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{First}-{Last}");
}

/// <summary>The command line of the seed.</summary>
internal sealed record SeedOptions(
    long IdOffset,
    string? PasswordHash,
    SeedRange? Users,
    SeedRange? Sessions,
    SeedRange? Posts,
    long? ReserveUsers)
{
    public const string Usage = """
        usage: Paseto.Auth.Seed --id-offset N [--users FIRST-LAST --password-hash PHC] [--sessions FIRST-LAST]
                                [--posts FIRST-LAST] [--reserve-users LAST]
        Writes the benchmark's rows with binary COPY into the database of ConnectionStrings__Postgres
        (or DATABASE_URL), as the EF Core model of this build maps them.
          --id-offset N           user k has the id N + k (N: the largest id before the seed)
          --users FIRST-LAST      users bench_<FIRST> … bench_<LAST> (seven digits), members, all with
          --password-hash PHC     this Argon2id PHC string (one made by a real signup)
          --sessions FIRST-LAST   session k for user k, started a day ago with the API's default lifetimes
          --posts FIRST-LAST      post k by user k, dated 2026-01-01 plus k seconds
          --reserve-users LAST    the ids of users up to LAST are the seed's: the users the API makes
                                  next get ids after N + LAST
        """;

    public static SeedOptions Parse(IReadOnlyList<string> args)
    {
        long? idOffset = null;
        long? reserve = null;
        string? passwordHash = null;
        SeedRange? users = null, sessions = null, posts = null;
        for (var i = 0; i < args.Count; i++)
        {
            var option = args[i];
            var value = i + 1 < args.Count ? args[++i] : throw new UsageException($"{option} needs a value.");
            switch (option)
            {
                case "--id-offset":
                    idOffset = Whole(option, value);
                    break;
                case "--password-hash":
                    passwordHash = value;
                    break;
                case "--users":
                    users = SeedRange.Parse(option, value);
                    break;
                case "--sessions":
                    sessions = SeedRange.Parse(option, value);
                    break;
                case "--posts":
                    posts = SeedRange.Parse(option, value);
                    break;
                case "--reserve-users":
                    reserve = Whole(option, value);
                    break;
                default:
                    throw new UsageException($"Unknown option {option}.");
            }
        }

        if (idOffset is null)
        {
            throw new UsageException("--id-offset is required.");
        }

        if (users is not null && passwordHash is null)
        {
            throw new UsageException("--users needs --password-hash.");
        }

        return new SeedOptions(idOffset.Value, passwordHash, users, sessions, posts, reserve);
    }

    private static long Whole(string option, string text) =>
        long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new UsageException($"{option} takes a whole number; got '{text}'.");
}

/// <summary>A command line the seed cannot run; the message says what is wrong.</summary>
internal sealed class UsageException(string message) : Exception(message);

/// <summary>A seed that cannot go ahead as planned (the model and the seed disagree, or the database refused the rows); the message says why.</summary>
internal sealed class SeedException(string message, Exception? inner = null) : Exception(message, inner);
