using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Paseto.Auth.Infrastructure.Throttling;

namespace Paseto.Auth.Infrastructure.Persistence.Configurations;

internal sealed class ThrottleCounterConfiguration : IEntityTypeConfiguration<ThrottleCounter>
{
    public void Configure(EntityTypeBuilder<ThrottleCounter> builder)
    {
        builder.ToTable("throttle_counters");
        builder.HasKey(c => c.Key);
        builder.Property(c => c.Key).HasMaxLength(400).UseCollation("C");
        // The retention sweep removes counters idle for long.
        builder.HasIndex(c => c.LastAt);
    }
}
