namespace Paseto.Auth.Domain.Posts;

/// <summary>
/// A member's post. <see cref="Version"/> starts at 1 and grows with every change that alters
/// the post; it is the optimistic-concurrency token behind the post's ETag, so a writer holding
/// an older version cannot overwrite a newer one.
/// </summary>
public sealed class Post
{
    /// <summary>Title length in Unicode characters (code points), as PostgreSQL counts them.</summary>
    public const int TitleMaxLength = 200;

    /// <summary>Body length in Unicode characters (code points), as PostgreSQL counts them.</summary>
    public const int BodyMaxLength = 20_000;

    private Post()
    {
    }

    public int Id { get; private set; }

    public int AuthorId { get; private set; }

    public string Title { get; private set; } = string.Empty;

    public string Body { get; private set; } = string.Empty;

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public int Version { get; private set; }

    public static Post Create(int authorId, string title, string body, DateTimeOffset now)
    {
        now = ToStoredPrecision(now);
        return new Post
        {
            AuthorId = authorId,
            Title = title,
            Body = body,
            CreatedAt = now,
            UpdatedAt = now,
            Version = 1,
        };
    }

    /// <summary>Replaces the fields given; returns false (and changes nothing) when none differs.</summary>
    public bool Edit(string? title, string? body, DateTimeOffset now)
    {
        var changed = false;
        if (title is not null && !string.Equals(title, Title, StringComparison.Ordinal))
        {
            Title = title;
            changed = true;
        }

        if (body is not null && !string.Equals(body, Body, StringComparison.Ordinal))
        {
            Body = body;
            changed = true;
        }

        if (changed)
        {
            UpdatedAt = ToStoredPrecision(now);
            Version++;
        }

        return changed;
    }

    /// <summary>
    /// PostgreSQL keeps microseconds. Cutting the clock to that precision here means the post a
    /// write returns has the same times as every later read, and pagination cursors made from
    /// either compare equal.
    /// </summary>
    private static DateTimeOffset ToStoredPrecision(DateTimeOffset time) =>
        new(time.UtcTicks - (time.UtcTicks % TimeSpan.TicksPerMicrosecond), TimeSpan.Zero);
}
