using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Paseto.Auth.Domain.Users;

namespace Paseto.Auth.Infrastructure.Persistence.Configurations;

internal sealed class UserConfiguration : IEntityTypeConfiguration<User>
{
    public const string UsernameIndex = "ux_users_normalized_username";
    public const string EmailIndex = "ux_users_normalized_email";

    public void Configure(EntityTypeBuilder<User> builder)
    {
        builder.ToTable("users", t =>
        {
            t.HasCheckConstraint("ck_users_role", "role IN ('member', 'admin')");
            t.HasCheckConstraint("ck_users_normalized_username", "normalized_username = lower(normalized_username)");
        });
        builder.HasKey(u => u.Id);
        builder.Property(u => u.Id).UseIdentityAlwaysColumn();
        builder.Property(u => u.Username).HasMaxLength(32).IsRequired();
        builder.Property(u => u.Email).HasMaxLength(254).IsRequired();
        // "C" collation: byte order, so the unique btree also serves prefix search and keyset paging.
        builder.Property(u => u.NormalizedUsername).HasMaxLength(32).UseCollation("C").IsRequired();
        builder.Property(u => u.NormalizedEmail).HasMaxLength(254).UseCollation("C").IsRequired();
        builder.Property(u => u.PasswordHash).HasColumnName("password").HasMaxLength(512).IsRequired();
        builder.Property(u => u.Firstname).HasMaxLength(100).IsRequired();
        builder.Property(u => u.Role).HasMaxLength(16).IsRequired();
        builder.Property(u => u.PendingEmail).HasMaxLength(254);
        builder.Ignore(u => u.EmailVerified);
        // The default only fills the rows that existed before the column; new users bring their own.
        builder.Property(u => u.CredentialStamp).HasDefaultValueSql("gen_random_uuid()");
        builder.HasIndex(u => u.NormalizedUsername).IsUnique().HasDatabaseName(UsernameIndex);
        builder.HasIndex(u => u.NormalizedEmail).IsUnique().HasDatabaseName(EmailIndex);
        // Filtered: most users have no handle until their first passkey ceremony.
        builder.Property(u => u.PasskeyUserHandle).HasMaxLength(64);
        builder.HasIndex(u => u.PasskeyUserHandle).IsUnique().HasFilter("passkey_user_handle IS NOT NULL");
    }
}
