using FluentValidation;
using Paseto.Auth.Application.Common;
using Paseto.Auth.Domain.Posts;

namespace Paseto.Auth.Application.Posts;

/// <summary>Title and body rules shared by writing and changing posts.</summary>
public static class PostRules
{
    /// <summary>A title: not blank, at most 200 characters once trimmed, no control characters.</summary>
    public static IRuleBuilderOptions<T, string?> PostTitle<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(title => !string.IsNullOrWhiteSpace(title)).WithMessage("A title is required.")
            .Must(title => title is null || TextRules.IsPrintable(title)).WithMessage("The title must not contain control characters.")
            .Must(title => title is null || TextRules.CountCharacters(title.AsSpan().Trim()) <= Post.TitleMaxLength)
            .WithMessage($"The title must have at most {Post.TitleMaxLength} characters.");

    /// <summary>A body: at most 20 000 characters; line breaks and tabs are the only control characters allowed.</summary>
    public static IRuleBuilderOptions<T, string?> PostBody<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(body => body is null || TextRules.IsMultiline(body)).WithMessage("The body must not contain control characters other than tab and line breaks.")
            .Must(body => body is null || TextRules.CountCharacters(body) <= Post.BodyMaxLength)
            .WithMessage($"The body must have at most {Post.BodyMaxLength} characters.");
}
