using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Paseto.Auth.Domain.SecurityEvents;

namespace Paseto.Auth.Infrastructure.Persistence.Configurations;

internal sealed class SecurityEventConfiguration : IEntityTypeConfiguration<SecurityEvent>
{
    public void Configure(EntityTypeBuilder<SecurityEvent> builder)
    {
        builder.ToTable("security_events");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).UseIdentityAlwaysColumn();
        // No foreign key to users: an audit row must not cost (or lock) anything an attempt on a
        // name without an account does not, and its check was the one statement PostgreSQL ran
        // for existing accounts only (a lookup and a KEY SHARE lock of the user's row). Users are
        // never deleted; events leave with the retention sweep.
        builder.Property(e => e.Type).HasMaxLength(40).IsRequired();
        builder.Property(e => e.UserAgent).HasMaxLength(Domain.Sessions.Session.MaxUserAgentLength);
        builder.Property(e => e.Ip).HasColumnType("inet").HasConversion(
            ip => ip == null ? null : IPAddress.Parse(ip),
            ip => ip == null ? null : ip.ToString());
        builder.Property(e => e.Details).HasColumnType("jsonb").IsRequired();
        // A user's history newest first (optionally of one type), and the retention sweep by age.
        builder.HasIndex(e => new { e.UserId, e.Id }).IsDescending(false, true);
        builder.HasIndex(e => new { e.UserId, e.Type, e.Id }).IsDescending(false, false, true);
        builder.HasIndex(e => e.At);
    }
}
