using Microsoft.EntityFrameworkCore;
using Paseto.Auth.Domain.Posts;
using Paseto.Auth.Domain.SecurityEvents;
using Paseto.Auth.Domain.Sessions;
using Paseto.Auth.Domain.Users;

namespace Paseto.Auth.Infrastructure.Persistence;

public sealed class AuthDbContext(DbContextOptions<AuthDbContext> options) : DbContext(options)
{
    public const string Schema = "paseto_auth";

    public DbSet<User> Users => Set<User>();

    public DbSet<Session> Sessions => Set<Session>();

    public DbSet<SpentRefreshToken> SpentRefreshTokens => Set<SpentRefreshToken>();

    public DbSet<SecurityEvent> SecurityEvents => Set<SecurityEvent>();
    public DbSet<Post> Posts => Set<Post>();

    public DbSet<Domain.Devices.Device> Devices => Set<Domain.Devices.Device>();

    public DbSet<Domain.Email.OutboxMessage> MailOutbox => Set<Domain.Email.OutboxMessage>();

    public DbSet<Domain.Email.EmailToken> EmailTokens => Set<Domain.Email.EmailToken>();

    public DbSet<TotpFactor> TotpFactors => Set<TotpFactor>();

    public DbSet<RecoveryCode> RecoveryCodes => Set<RecoveryCode>();

    public DbSet<MfaChallenge> MfaChallenges => Set<MfaChallenge>();

    public DbSet<Domain.Passkeys.Passkey> Passkeys => Set<Domain.Passkeys.Passkey>();

    public DbSet<Domain.Passkeys.PasskeyChallenge> PasskeyChallenges => Set<Domain.Passkeys.PasskeyChallenge>();

    internal DbSet<Throttling.ThrottleCounter> ThrottleCounters => Set<Throttling.ThrottleCounter>();

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.HasDefaultSchema(Schema);
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(AuthDbContext).Assembly);
    }
}
