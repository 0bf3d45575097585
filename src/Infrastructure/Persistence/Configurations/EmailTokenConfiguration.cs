using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Paseto.Auth.Domain.Email;
using Paseto.Auth.Domain.Users;

namespace Paseto.Auth.Infrastructure.Persistence.Configurations;

internal sealed class EmailTokenConfiguration : IEntityTypeConfiguration<EmailToken>
{
    public void Configure(EntityTypeBuilder<EmailToken> builder)
    {
        builder.ToTable("email_tokens", t => t.HasCheckConstraint(
            "ck_email_tokens_purpose", $"purpose IN ({string.Join(", ", EmailTokenPurposes.All.Select(p => $"'{p}'"))})"));
        builder.HasKey(t => t.Id);
        builder.Property(t => t.Id).UseIdentityAlwaysColumn();
        builder.HasOne<User>().WithMany().HasForeignKey(t => t.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(t => t.Purpose).HasMaxLength(40).IsRequired();
        builder.Property(t => t.Address).HasMaxLength(254).IsRequired();
        builder.Property(t => t.TokenHash).HasMaxLength(32).IsRequired();
        builder.HasIndex(t => t.TokenHash).IsUnique();
        builder.HasIndex(t => new { t.UserId, t.Purpose }).HasFilter("used_at IS NULL");
        builder.HasIndex(t => t.ExpiresAt);
    }
}
