using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Paseto.Auth.Domain.Posts;
using Paseto.Auth.Domain.Users;

namespace Paseto.Auth.Infrastructure.Persistence.Configurations;

internal sealed class PostConfiguration : IEntityTypeConfiguration<Post>
{
    /// <summary>The list of all posts, newest first: the keyset walks it in index order.</summary>
    public const string NewestFirstIndex = "ix_posts_created_at_id";

    /// <summary>One author's posts, newest first.</summary>
    public const string ByAuthorNewestFirstIndex = "ix_posts_author_id_created_at_id";

    public void Configure(EntityTypeBuilder<Post> builder)
    {
        builder.ToTable("posts", t => t.HasCheckConstraint("ck_posts_version", "version >= 1"));
        builder.HasKey(p => p.Id);
        builder.Property(p => p.Id).UseIdentityAlwaysColumn();
        builder.HasOne<User>().WithMany().HasForeignKey(p => p.AuthorId).OnDelete(DeleteBehavior.Cascade);
        // varchar(n) counts code points, as the validators do.
        builder.Property(p => p.Title).HasMaxLength(Post.TitleMaxLength).IsRequired();
        builder.Property(p => p.Body).HasMaxLength(Post.BodyMaxLength).IsRequired();
        // Every UPDATE and DELETE carries "AND version = <the version read>": a lost race touches no row.
        builder.Property(p => p.Version).IsConcurrencyToken();
        builder.HasIndex(p => new { p.CreatedAt, p.Id }).IsDescending(true, true).HasDatabaseName(NewestFirstIndex);
        // Also serves the foreign key (author_id leads), so no separate author_id index is made.
        builder.HasIndex(p => new { p.AuthorId, p.CreatedAt, p.Id }).IsDescending(false, true, true).HasDatabaseName(ByAuthorNewestFirstIndex);
    }
}
