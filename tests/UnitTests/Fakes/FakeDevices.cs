using Paseto.Auth.Application.Abstractions;
using Paseto.Auth.Domain.Devices;

namespace Paseto.Auth.UnitTests.Fakes;

internal sealed class FakeDevices : IDeviceRepository
{
    public List<Device> Devices { get; } = [];

    public void Add(Device device) => Devices.Add(device);

    public Task<Device?> FindActiveAsync(int userId, byte[] tokenHash, CancellationToken cancellationToken) =>
        Task.FromResult(Devices.FirstOrDefault(d => d.UserId == userId && d.RevokedAt is null && d.TokenHash.AsSpan().SequenceEqual(tokenHash)));

    public Task<Device?> FindAsync(Guid id, CancellationToken cancellationToken) => Task.FromResult(Devices.FirstOrDefault(d => d.Id == id));

    public Task<List<Device>> ListActiveAsync(int userId, CancellationToken cancellationToken) =>
        Task.FromResult(Devices.Where(d => d.UserId == userId && d.RevokedAt is null).ToList());

}
