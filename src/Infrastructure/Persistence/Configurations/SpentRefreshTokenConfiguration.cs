using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Paseto.Auth.Domain.Sessions;

namespace Paseto.Auth.Infrastructure.Persistence.Configurations;

internal sealed class SpentRefreshTokenConfiguration : IEntityTypeConfiguration<SpentRefreshToken>
{
    public void Configure(EntityTypeBuilder<SpentRefreshToken> builder)
    {
        builder.ToTable("spent_refresh_tokens");
        builder.HasKey(t => t.Hash);
        builder.Property(t => t.Hash).HasMaxLength(32);
        // Spent tokens live as long as their session: the cleanup job's delete cascades here.
        builder.HasOne<Session>().WithMany().HasForeignKey(t => t.SessionId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(t => t.SessionId);
    }
}
