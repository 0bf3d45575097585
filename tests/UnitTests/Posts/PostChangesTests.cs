using Microsoft.Extensions.Time.Testing;
using Paseto.Auth.Application.Abstractions;
using Paseto.Auth.Application.Exceptions;
using Paseto.Auth.Application.Posts;
using Paseto.Auth.Domain.Posts;
using Paseto.Auth.Domain.Users;

namespace Paseto.Auth.UnitTests.Posts;

public sealed class PostChangesTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 28, 12, 0, 0, TimeSpan.Zero));
    private FakePosts _posts = null!;

    [SetUp]
    public void SetUp() => _posts = new FakePosts(Post.Create(AuthorId, "Title", "Body", _time.GetUtcNow()));

    private const int AuthorId = 1;

    private CallerIdentity Caller(int id, string role = Roles.Member) =>
        new(new CallerAccount(id, $"user{id}", $"user{id}@example.com", "Test", role, true, _time.GetUtcNow(), _time.GetUtcNow()), Guid.NewGuid());

    private UpdatePostCommandHandler Handler(IUnitOfWork unitOfWork) => new(_posts, new Fakes.FakeUsers(), unitOfWork, _time);

    [Test]
    public async Task A_change_without_if_match_that_loses_a_race_once_is_applied_again()
    {
        var unitOfWork = new RaceLosingUnitOfWork(losses: 1);

        var post = await Handler(unitOfWork).Handle(new UpdatePostCommand(Caller(AuthorId), 0, "New", null, null), CancellationToken.None);

        Assert.That(unitOfWork.Attempts, Is.EqualTo(2));
        Assert.That(post.Title, Is.EqualTo("New"));
    }

    [Test]
    public void A_change_without_a_version_condition_that_keeps_losing_gives_up_after_three_attempts()
    {
        var unitOfWork = new RaceLosingUnitOfWork(losses: int.MaxValue);

        Assert.ThrowsAsync<ConcurrencyException>(async () =>
            await Handler(unitOfWork).Handle(new UpdatePostCommand(Caller(AuthorId), 0, "New", null, null), CancellationToken.None));
        Assert.That(unitOfWork.Attempts, Is.EqualTo(3));
    }

    [Test]
    public void A_change_with_if_match_that_loses_the_race_is_a_precondition_failure_at_once()
    {
        var unitOfWork = new RaceLosingUnitOfWork(losses: 1);

        Assert.ThrowsAsync<PreconditionFailedException>(async () =>
            await Handler(unitOfWork).Handle(new UpdatePostCommand(Caller(AuthorId), 0, "New", null, new HashSet<int> { 1 }), CancellationToken.None));
        Assert.That(unitOfWork.Attempts, Is.EqualTo(1));
    }

    [Test]
    public void Another_member_is_refused_before_anything_is_saved()
    {
        var unitOfWork = new RaceLosingUnitOfWork(losses: 0);

        Assert.ThrowsAsync<ForbiddenException>(async () =>
            await Handler(unitOfWork).Handle(new UpdatePostCommand(Caller(2), 0, "Mine now", null, null), CancellationToken.None));
        Assert.That(unitOfWork.Attempts, Is.Zero);
        Assert.That(_posts.Post.Title, Is.EqualTo("Title"));
    }

    private sealed class FakePosts(Post post) : IPostRepository
    {
        public Post Post { get; } = post;

        public void Add(Post post) => throw new NotSupportedException();

        public void Remove(Post post) => throw new NotSupportedException();

        public Task<Post?> FindAsync(int id, CancellationToken cancellationToken) => Task.FromResult<Post?>(id == Post.Id ? Post : null);

        public Task<PostView?> FindViewAsync(int id, CancellationToken cancellationToken) => throw new NotSupportedException();

        public Task<List<PostView>> ListAsync(int? authorId, PostCursor? after, int take, CancellationToken cancellationToken) =>
            throw new NotSupportedException();
    }

    /// <summary>Loses the optimistic-concurrency race on the first <paramref name="losses"/> commits.</summary>
    private sealed class RaceLosingUnitOfWork(int losses) : IUnitOfWork
    {
        public int Attempts { get; private set; }

        public Task SaveChangesAsync(CancellationToken cancellationToken) =>
            ++Attempts <= losses ? throw new ConcurrencyException() : Task.CompletedTask;

        public Task<T> InTransactionAsync<T>(Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken) => work(cancellationToken);
    }
}
