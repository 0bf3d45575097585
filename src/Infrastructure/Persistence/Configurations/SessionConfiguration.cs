using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Paseto.Auth.Domain.Sessions;
using Paseto.Auth.Domain.Users;

namespace Paseto.Auth.Infrastructure.Persistence.Configurations;

internal sealed class SessionConfiguration : IEntityTypeConfiguration<Session>
{
    public void Configure(EntityTypeBuilder<Session> builder)
    {
        builder.ToTable("sessions");
        builder.HasKey(s => s.Id);
        builder.Property(s => s.Id).ValueGeneratedNever();
        builder.HasOne<User>().WithMany().HasForeignKey(s => s.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.Property(s => s.RevokeReason).HasMaxLength(32);
        builder.Property(s => s.UserAgent).HasMaxLength(Session.MaxUserAgentLength);
        builder.Property(s => s.Ip).HasColumnType("inet").HasConversion(
            ip => ip == null ? null : IPAddress.Parse(ip),
            ip => ip == null ? null : ip.ToString());
        builder.Property(s => s.RefreshTokenHash).HasMaxLength(32).IsRequired();
        builder.Property(s => s.RefreshGeneration).IsConcurrencyToken();
        // Sessions from before the column were password logins.
        builder.Property(s => s.AuthMethods).HasColumnType("text[]").HasDefaultValueSql("'{password}'::text[]")
            .HasConversion(m => m.ToArray(), m => m, new Microsoft.EntityFrameworkCore.ChangeTracking.ValueComparer<IReadOnlyList<string>>(
                (a, b) => a != null && b != null && a.SequenceEqual(b), m => m.Aggregate(0, (h, s) => HashCode.Combine(h, s.GetHashCode(StringComparison.Ordinal))), m => m.ToArray()));
        builder.HasIndex(s => s.RefreshTokenHash).IsUnique();
        // The active sessions of a user, oldest first: the session limit and the session list read this.
        builder.HasIndex(s => new { s.UserId, s.CreatedAt }).HasFilter("revoked_at IS NULL");
        builder.HasIndex(s => s.ExpiresAt);
    }
}
