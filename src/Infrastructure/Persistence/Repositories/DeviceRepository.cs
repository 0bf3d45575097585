using Microsoft.EntityFrameworkCore;
using Paseto.Auth.Application.Abstractions;
using Paseto.Auth.Domain.Devices;

namespace Paseto.Auth.Infrastructure.Persistence.Repositories;

internal sealed class DeviceRepository(AuthDbContext db) : IDeviceRepository
{
    public void Add(Device device) => db.Devices.Add(device);

    public Task<Device?> FindActiveAsync(int userId, byte[] tokenHash, CancellationToken cancellationToken) =>
        db.Devices.FirstOrDefaultAsync(d => d.TokenHash == tokenHash && d.UserId == userId && d.RevokedAt == null, cancellationToken);

    public async Task<Device?> FindAsync(Guid id, CancellationToken cancellationToken) =>
        await db.Devices.FindAsync([id], cancellationToken);

    public Task<List<Device>> ListActiveAsync(int userId, CancellationToken cancellationToken) =>
        db.Devices.Where(d => d.UserId == userId && d.RevokedAt == null).OrderByDescending(d => d.LastUsedAt).ToListAsync(cancellationToken);
}
