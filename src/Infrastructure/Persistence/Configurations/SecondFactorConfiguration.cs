using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Paseto.Auth.Domain.Users;

namespace Paseto.Auth.Infrastructure.Persistence.Configurations;

internal sealed class TotpFactorConfiguration : IEntityTypeConfiguration<TotpFactor>
{
    public void Configure(EntityTypeBuilder<TotpFactor> builder)
    {
        builder.ToTable("totp_factors");
        builder.HasKey(f => f.Id);
        builder.Property(f => f.Id).ValueGeneratedNever();
        builder.HasOne<User>().WithMany().HasForeignKey(f => f.UserId).OnDelete(DeleteBehavior.Cascade);
        // Nonce (24) + 20-byte secret + tag (16); room for longer secrets.
        builder.Property(f => f.SecretCiphertext).HasMaxLength(256).IsRequired();
        builder.Property(f => f.KeyId).HasMaxLength(64).IsRequired();
        builder.Ignore(f => f.IsConfirmed);
        // One TOTP factor a user, pending or confirmed: two racing enrolments cannot both land.
        builder.HasIndex(f => f.UserId).IsUnique();
    }
}

internal sealed class RecoveryCodeConfiguration : IEntityTypeConfiguration<RecoveryCode>
{
    public void Configure(EntityTypeBuilder<RecoveryCode> builder)
    {
        builder.ToTable("recovery_codes");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Id).UseIdentityAlwaysColumn();
        builder.HasOne<User>().WithMany().HasForeignKey(c => c.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(c => c.CodeHash).HasMaxLength(32).IsRequired();
        builder.HasIndex(c => new { c.UserId, c.CodeHash }).IsUnique();
    }
}

internal sealed class MfaChallengeConfiguration : IEntityTypeConfiguration<MfaChallenge>
{
    public void Configure(EntityTypeBuilder<MfaChallenge> builder)
    {
        builder.ToTable("mfa_challenges");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Id).ValueGeneratedNever();
        builder.HasOne<User>().WithMany().HasForeignKey(c => c.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(c => c.TokenHash).HasMaxLength(32).IsRequired();
        builder.HasIndex(c => c.TokenHash).IsUnique();
        builder.HasIndex(c => c.ExpiresAt);
    }
}
