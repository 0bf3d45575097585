using Mediator;
using Paseto.Auth.Application.Abstractions;
using Paseto.Auth.Application.Events;
using Paseto.Auth.Application.Exceptions;
using Paseto.Auth.Domain.Sessions;

namespace Paseto.Auth.Application.Sessions;

/// <summary>One of the caller's active sessions; <c>current</c> marks the one the request came with.</summary>
public sealed record SessionInfo(
    Guid Id,
    DateTimeOffset CreatedAt,
    DateTimeOffset LastSeenAt,
    DateTimeOffset ExpiresAt,
    string? UserAgent,
    string? Ip,
    bool Current);

/// <summary>A device that may log in on its own failure counter; revoke it with <c>DELETE /v1/devices/{id}</c>.</summary>
public sealed record DeviceInfo(Guid Id, DateTimeOffset CreatedAt, DateTimeOffset LastUsedAt, string? UserAgent);

public sealed record SessionList(IReadOnlyList<SessionInfo> Items, IReadOnlyList<DeviceInfo> Devices);

public sealed record ListSessionsQuery(CallerIdentity Caller) : IQuery<SessionList>;

public sealed class ListSessionsQueryHandler(ISessionRepository sessions, IDeviceRepository devices, TimeProvider time) : IQueryHandler<ListSessionsQuery, SessionList>
{
    public async ValueTask<SessionList> Handle(ListSessionsQuery query, CancellationToken cancellationToken)
    {
        var active = await sessions.ListActiveAsync(query.Caller.UserId, time.GetUtcNow(), cancellationToken);
        var known = await devices.ListActiveAsync(query.Caller.UserId, cancellationToken);
        return new SessionList(
            [.. active
                .OrderByDescending(s => s.CreatedAt)
                .Select(s => new SessionInfo(s.Id, s.CreatedAt, s.LastSeenAt, s.ExpiresAt, s.UserAgent, s.Ip, s.Id == query.Caller.SessionId))],
            [.. known.Select(d => new DeviceInfo(d.Id, d.CreatedAt, d.LastUsedAt, d.UserAgent))]);
    }
}

/// <summary>Revokes one of the caller's own sessions; anyone else's (or an ended one) is a 404.</summary>
public sealed record RevokeSessionCommand(CallerIdentity Caller, Guid SessionId) : ICommand;

public sealed class RevokeSessionCommandHandler(
    ISessionRepository sessions,
    ISecurityEventRepository events,
    IUnitOfWork unitOfWork,
    TimeProvider time) : ICommandHandler<RevokeSessionCommand>
{
    public async ValueTask<Unit> Handle(RevokeSessionCommand command, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var session = await sessions.FindAsync(command.SessionId, cancellationToken);
        if (session is null || session.UserId != command.Caller.UserId || !session.IsActive(now))
        {
            throw new NotFoundException("No active session of yours has this id.");
        }

        session.Revoke(RevokeReasons.RevokedByUser, now);
        events.Add(SecurityEventFactory.SessionRevoked(session.UserId, session.Id, RevokeReasons.RevokedByUser, now, command.Caller.Client));
        await unitOfWork.SaveChangesAsync(cancellationToken);
        return Unit.Value;
    }
}

/// <summary>Revokes every session of the caller except the one the request came with.</summary>
public sealed record RevokeOtherSessionsCommand(CallerIdentity Caller) : ICommand;

public sealed class RevokeOtherSessionsCommandHandler(
    ISessionRepository sessions,
    ISecurityEventRepository events,
    IUnitOfWork unitOfWork,
    TimeProvider time) : ICommandHandler<RevokeOtherSessionsCommand>
{
    public async ValueTask<Unit> Handle(RevokeOtherSessionsCommand command, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        foreach (var session in await sessions.ListActiveAsync(command.Caller.UserId, now, cancellationToken))
        {
            if (session.Id != command.Caller.SessionId)
            {
                session.Revoke(RevokeReasons.RevokedByUser, now);
                events.Add(SecurityEventFactory.SessionRevoked(session.UserId, session.Id, RevokeReasons.RevokedByUser, now, command.Caller.Client));
            }
        }

        await unitOfWork.SaveChangesAsync(cancellationToken);
        return Unit.Value;
    }
}

/// <summary>Revokes one of the caller's known devices: its token no longer earns a counter of its own.</summary>
public sealed record RevokeDeviceCommand(CallerIdentity Caller, Guid DeviceId) : ICommand;

public sealed class RevokeDeviceCommandHandler(IDeviceRepository devices, IUnitOfWork unitOfWork, TimeProvider time) : ICommandHandler<RevokeDeviceCommand>
{
    public async ValueTask<Unit> Handle(RevokeDeviceCommand command, CancellationToken cancellationToken)
    {
        var device = await devices.FindAsync(command.DeviceId, cancellationToken);
        if (device is null || device.UserId != command.Caller.UserId || device.RevokedAt is not null)
        {
            throw new NotFoundException("No device of yours has this id.");
        }

        device.Revoke(time.GetUtcNow());
        await unitOfWork.SaveChangesAsync(cancellationToken);
        return Unit.Value;
    }
}
