using Mediator;
using Paseto.Auth.Application.Abstractions;
using Paseto.Auth.Application.Exceptions;

namespace Paseto.Auth.Application.Sessions;

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
