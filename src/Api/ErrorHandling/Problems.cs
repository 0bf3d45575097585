using Microsoft.AspNetCore.Mvc;

namespace Paseto.Auth.Api.ErrorHandling;

/// <summary>Builds the problem documents the API answers with (RFC 9457).</summary>
internal static class Problems
{
    public const string ContentType = "application/problem+json";

    /// <param name="type">One of <see cref="ProblemTypes"/>; null leaves <c>about:blank</c>.</param>
    public static ProblemDetails Create(int status, string detail, string? type = null) => new()
    {
        Status = status,
        Detail = detail,
        Type = type,
    };

    /// <summary>The detail of problems the framework raises itself (unknown route, wrong method, …).</summary>
    public static string DefaultDetail(int? status) => status switch
    {
        StatusCodes.Status400BadRequest => "The request is not valid.",
        StatusCodes.Status401Unauthorized => "Authentication is required.",
        StatusCodes.Status403Forbidden => "You are not allowed to do this.",
        StatusCodes.Status404NotFound => "Nothing exists at this address.",
        StatusCodes.Status405MethodNotAllowed => "This method is not allowed here.",
        StatusCodes.Status406NotAcceptable => "The requested media type cannot be produced.",
        StatusCodes.Status413PayloadTooLarge => "The request body is too large.",
        StatusCodes.Status431RequestHeaderFieldsTooLarge => "The request headers are too large.",
        StatusCodes.Status429TooManyRequests => "Too many requests. Try again later.",
        StatusCodes.Status503ServiceUnavailable => "The service is temporarily unavailable.",
        _ => "The request could not be completed.",
    };

    // The HTTP flavour, not MVC's ValidationProblemDetails: IProblemDetailsService's writer
    // serializes it with its errors whichever writer (MVC's or the default) answers.
    public static HttpValidationProblemDetails Validation(IDictionary<string, string[]> errors) => new(errors)
    {
        Status = StatusCodes.Status400BadRequest,
        Detail = "One or more fields are invalid.",
        Type = ProblemTypes.Validation,
    };
}
