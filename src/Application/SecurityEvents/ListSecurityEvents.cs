using System.Buffers.Binary;
using System.Buffers.Text;
using System.Text.Json;
using FluentValidation;
using Mediator;
using Paseto.Auth.Application.Abstractions;
using Paseto.Auth.Application.Common;
using Paseto.Auth.Application.Exceptions;
using Paseto.Auth.Domain.SecurityEvents;
using Paseto.Auth.Domain.Users;

namespace Paseto.Auth.Application.SecurityEvents;

/// <summary>One entry of a security history as the API shows it.</summary>
public sealed record SecurityEventInfo(long Id, string Type, DateTimeOffset At, Guid? SessionId, string? Ip, string? UserAgent, JsonElement Details);

public sealed record SecurityEventPage(IReadOnlyList<SecurityEventInfo> Items, string? NextCursor);

/// <summary>
/// A security history, newest first, a page at a time. <paramref name="Username"/> null means the
/// caller's own; another user's history is for admins, and a member asking for it gets a 404 —
/// the same answer as for a name that does not exist.
/// </summary>
public sealed record ListSecurityEventsQuery(CallerIdentity Caller, string? Username, int? Limit, string? Cursor, string? Type) : IQuery<SecurityEventPage>;

public sealed class ListSecurityEventsQueryValidator : AbstractValidator<ListSecurityEventsQuery>
{
    public ListSecurityEventsQueryValidator()
    {
        RuleFor(q => q.Limit).InclusiveBetween(1, Paging.MaxLimit).WithMessage($"The limit must be between 1 and {Paging.MaxLimit}.");
        RuleFor(q => q.Cursor).Must(c => c is null || EventCursor.TryDecode(c, out _)).WithMessage("The cursor is not valid.");
        RuleFor(q => q.Type).Must(t => t is null || SecurityEventTypes.All.Contains(t))
            .WithMessage($"The type must be one of: {string.Join(", ", SecurityEventTypes.All)}.");
    }
}

public sealed class ListSecurityEventsQueryHandler(IUserRepository users, ISecurityEventRepository events)
    : IQueryHandler<ListSecurityEventsQuery, SecurityEventPage>
{
    public async ValueTask<SecurityEventPage> Handle(ListSecurityEventsQuery query, CancellationToken cancellationToken)
    {
        var userId = await ResolveUserAsync(query, cancellationToken);
        var limit = query.Limit ?? Paging.DefaultLimit;
        var beforeId = query.Cursor is null ? long.MaxValue : EventCursor.Decode(query.Cursor);
        var rows = await events.ListAsync(userId, beforeId, limit + 1, query.Type, cancellationToken);
        var items = rows.Take(limit).Select(e => new SecurityEventInfo(
            e.Id, e.Type, e.At, e.SessionId, e.Ip, e.UserAgent, JsonSerializer.Deserialize(e.Details, EventJsonContext.Default.JsonElement))).ToList();
        return new SecurityEventPage(items, rows.Count > limit ? EventCursor.Encode(items[^1].Id) : null);
    }

    private async Task<int> ResolveUserAsync(ListSecurityEventsQuery query, CancellationToken cancellationToken)
    {
        if (query.Username is null || User.Normalize(query.Username) == User.Normalize(query.Caller.Username))
        {
            return query.Caller.UserId;
        }

        var user = query.Caller.Role == Roles.Admin ? await users.FindByUsernameAsync(query.Username, cancellationToken) : null;
        return user?.Id ?? throw new NotFoundException("No user has this username.");
    }
}

/// <summary>The opaque cursor of an event list: the last id seen.</summary>
internal static class EventCursor
{
    public static string Encode(long lastId)
    {
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(bytes, lastId);
        return Base64Url.EncodeToString(bytes);
    }

    public static long Decode(string cursor) => TryDecode(cursor, out var id) ? id : throw new FormatException();

    public static bool TryDecode(string cursor, out long lastId)
    {
        Span<byte> bytes = stackalloc byte[12];
        lastId = 0;
        if (cursor.Length > 16 || !SafeBase64Url.TryDecode(cursor, bytes, out var written) || written != 8)
        {
            return false;
        }

        lastId = BinaryPrimitives.ReadInt64BigEndian(bytes);
        return lastId > 0;
    }
}
