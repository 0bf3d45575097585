using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Paseto.Auth.Domain.Passkeys;
using Paseto.Auth.Domain.Users;

namespace Paseto.Auth.Infrastructure.Persistence.Configurations;

internal sealed class PasskeyConfiguration : IEntityTypeConfiguration<Passkey>
{
    public void Configure(EntityTypeBuilder<Passkey> builder)
    {
        builder.ToTable("passkeys");
        builder.HasKey(p => p.Id);
        builder.Property(p => p.Id).ValueGeneratedNever();
        builder.HasOne<User>().WithMany().HasForeignKey(p => p.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(p => p.CredentialId).HasMaxLength(Passkey.CredentialIdMaxLength).IsRequired();
        // A credential belongs to one account: a second registration of it, by anyone, is refused.
        builder.HasIndex(p => p.CredentialId).IsUnique();
        builder.HasIndex(p => p.UserId);
        builder.Property(p => p.PublicKey).HasMaxLength(2048).IsRequired();
        builder.Property(p => p.Name).HasMaxLength(Passkey.NameMaxLength * 2).IsRequired();
        builder.Property(p => p.Transports).IsRequired();
    }
}

internal sealed class PasskeyChallengeConfiguration : IEntityTypeConfiguration<PasskeyChallenge>
{
    public void Configure(EntityTypeBuilder<PasskeyChallenge> builder)
    {
        builder.ToTable("passkey_challenges");
        builder.HasKey(c => c.Id);
        builder.Property(c => c.Id).ValueGeneratedNever();
        builder.Property(c => c.Purpose).HasMaxLength(16).IsRequired();
        builder.HasOne<User>().WithMany().HasForeignKey(c => c.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(c => c.Options).IsRequired();
        builder.HasIndex(c => c.ExpiresAt);
    }
}
