using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using Paseto.Auth.Application;
using Paseto.Auth.Domain.Posts;
using Paseto.Auth.Domain.Sessions;
using Paseto.Auth.Domain.Users;

namespace Paseto.Auth.Seed;

/// <summary>
/// The benchmark's rows, numbered from 1, made by the Domain's factories as the API makes them.
/// Seeded user k is <c>bench_&lt;k, seven digits&gt;</c>; session k and post k belong to user k.
/// The wrk scripts (bench/wrk) log in as these users with the one password whose hash every user has.
/// </summary>
internal sealed class BenchRows(string passwordHash, DateTimeOffset now)
{
    /// <summary>The posts' clock starts here, one post a second, so the newest post has the highest k.</summary>
    public static readonly DateTimeOffset PostsStart = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>What every seeded post says, about as long as a short note between members.</summary>
    public const string PostBody =
        "A seeded post for the benchmark. It is about as long as a short note between members, so that a page of twenty is a realistic response to serialise and send.";

    private static readonly AuthOptions _defaults = new();

    // A day old, as if signed up yesterday: created_at and updated_at of the users, and the sessions' start.
    private readonly DateTimeOffset _signedUpAt = now.AddDays(-1);

    public static string Username(long k) => string.Create(CultureInfo.InvariantCulture, $"bench_{k:D7}");

    public User User(long k)
    {
        var username = Username(k);
        return Domain.Users.User.Create(username, $"{username}@example.com", passwordHash, "Bench", Roles.Member, _signedUpAt);
    }

    /// <summary>
    /// A session of user k as a login from the benchmark would start it, with the API's default
    /// lifetimes. Its refresh token hash is k itself (32 bytes, big-endian): unique, and no token
    /// the API issues can hash to it.
    /// </summary>
    public Session Session(long k, int userId)
    {
        var refreshTokenHash = new byte[32];
        BinaryPrimitives.WriteInt64BigEndian(refreshTokenHash.AsSpan(24), k);
        return Domain.Sessions.Session.Start(
            userId, refreshTokenHash, _signedUpAt, _defaults.SessionLifetime, _defaults.RefreshTokenLifetime, "bench", IPAddress.Loopback.ToString(), [Domain.Users.AuthMethods.Password]);
    }

    public static Post Post(long k, int authorId) =>
        Domain.Posts.Post.Create(authorId, string.Create(CultureInfo.InvariantCulture, $"Bench post {k}"), PostBody, PostsStart.AddSeconds(k));
}
