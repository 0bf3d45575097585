using Paseto.Auth.Domain.Devices;

namespace Paseto.Auth.Application.Abstractions;

public interface IDeviceRepository
{
    void Add(Device device);

    /// <summary>The user's unrevoked device with this token hash, tracked for changes.</summary>
    Task<Device?> FindActiveAsync(int userId, byte[] tokenHash, CancellationToken cancellationToken);

    Task<Device?> FindAsync(Guid id, CancellationToken cancellationToken);

    Task<List<Device>> ListActiveAsync(int userId, CancellationToken cancellationToken);
}
