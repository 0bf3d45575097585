using Paseto.Auth.Application.Abstractions;
using Paseto.Auth.Application.Posts;

namespace Paseto.Auth.Api.Requests;

/// <param name="Title">1–200 characters, no control characters.</param>
/// <param name="Body">Up to 20 000 characters; tab and line breaks are the only control characters allowed.</param>
public sealed record CreatePostRequest(string Title, string? Body)
{
    public CreatePostCommand ToCommand(CallerIdentity caller) => new(caller, Title, Body);
}

/// <param name="Title">A new title; null or missing keeps the old one.</param>
/// <param name="Body">A new body; null or missing keeps the old one, "" empties it.</param>
public sealed record UpdatePostRequest(string? Title, string? Body)
{
    /// <param name="expectedVersions">The versions the client's <c>If-Match</c> names (<see cref="PostETag.TryReadIfMatch"/>).</param>
    public UpdatePostCommand ToCommand(CallerIdentity caller, int id, IReadOnlySet<int>? expectedVersions) =>
        new(caller, id, Title, Body, expectedVersions);
}
