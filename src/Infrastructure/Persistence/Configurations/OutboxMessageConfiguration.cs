using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Paseto.Auth.Domain.Email;

namespace Paseto.Auth.Infrastructure.Persistence.Configurations;

internal sealed class OutboxMessageConfiguration : IEntityTypeConfiguration<OutboxMessage>
{
    public void Configure(EntityTypeBuilder<OutboxMessage> builder)
    {
        builder.ToTable("mail_outbox");
        builder.HasKey(m => m.Id);
        builder.Property(m => m.Id).UseIdentityAlwaysColumn();
        builder.Property(m => m.MessageId).HasMaxLength(200).IsRequired();
        builder.Property(m => m.Recipient).HasMaxLength(254).IsRequired();
        builder.Property(m => m.Kind).HasMaxLength(40).IsRequired();
        builder.Property(m => m.Payload).HasColumnType("jsonb");
        builder.Property(m => m.TokenPurpose).HasMaxLength(40);
        builder.Property(m => m.LastError).HasMaxLength(OutboxMessage.MaxErrorLength);
        // No foreign key to users, as for security events: a mail outlives nothing it reports.
        builder.HasIndex(m => m.MessageId).IsUnique();
        // The sender's scan: unsent rows by due time; sent rows are few and leave with the cleanup.
        builder.HasIndex(m => new { m.NextAttemptAt, m.Id }).HasFilter("sent_at IS NULL");
        builder.HasIndex(m => m.SentAt).HasFilter("sent_at IS NOT NULL");
    }
}
