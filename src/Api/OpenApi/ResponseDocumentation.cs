using System.Globalization;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Net.Http.Headers;
using Newtonsoft.Json.Linq;
using NJsonSchema;
using NSwag;
using NSwag.Generation.Processors;
using NSwag.Generation.Processors.Contexts;
using Paseto.Auth.Api.ErrorHandling;

namespace Paseto.Auth.Api.OpenApi;

/// <summary>
/// Finishes each operation's responses after NSwag has built them: errors are sent as
/// <c>application/problem+json</c> (NSwag writes every body as <c>application/json</c>), the headers
/// the API always sets are named, empty descriptions get the status's reason phrase, and the
/// responses are listed in status order.
/// </summary>
internal sealed class ResponseDocumentation : IOperationProcessor
{
    private static readonly (int Status, string Header, string Description)[] _headers =
    [
        (StatusCodes.Status201Created, HeaderNames.Location, "The address of what was created."),
        (StatusCodes.Status401Unauthorized, HeaderNames.WWWAuthenticate, "The scheme to authenticate with: Bearer."),
        (StatusCodes.Status429TooManyRequests, HeaderNames.RetryAfter, "Seconds to wait before trying again."),
        (StatusCodes.Status503ServiceUnavailable, HeaderNames.RetryAfter, "Seconds to wait before trying again."),
    ];

    /// <summary>What the statuses the pipeline answers on its own mean, the same on every operation.</summary>
    private static readonly Dictionary<int, string> _descriptions = new()
    {
        [StatusCodes.Status413PayloadTooLarge] = "The request body is too large (Limits:MaxRequestBodyBytes), whatever the method.",
        [StatusCodes.Status415UnsupportedMediaType] = "The body's content type (or charset) is not one this operation reads.",
        [StatusCodes.Status431RequestHeaderFieldsTooLarge] = "The request headers are too large (Limits:MaxRequestHeadersBytes).",
        [StatusCodes.Status503ServiceUnavailable] = "The database is unreachable (needed by every operation that reads or writes data, and by any request with an access token).",
    };

    public bool Process(OperationProcessorContext context)
    {
        Complete(context.OperationDescription.Operation);
        return true;
    }

    /// <summary>Finishes the responses of an operation, whether NSwag built it or a document processor did.</summary>
    public static void Complete(OpenApiOperation operation)
    {
        var responses = operation.Responses;
        var needsToken = operation.Security is { Count: > 0 };
        var clientCredential = operation.Security?.Any(r => r.ContainsKey(OpenApiSetup.IntrospectionClientScheme)) == true;
        var ordered = responses.OrderBy(r => r.Key, StringComparer.Ordinal).ToList();
        responses.Clear();
        foreach (var (code, response) in ordered)
        {
            if (int.TryParse(code, NumberStyles.None, CultureInfo.InvariantCulture, out var status))
            {
                Finish(status, response, needsToken, clientCredential);
            }

            responses[code] = response;
        }
    }

    private static void Finish(int status, OpenApiResponse response, bool needsToken, bool clientCredential)
    {
        if (string.IsNullOrEmpty(response.Description))
        {
            response.Description = _descriptions.GetValueOrDefault(status) ?? ReasonPhrases.GetReasonPhrase(status);
        }

        if (status >= 400 && response.Schema is { } schema)
        {
            response.Content.Clear();
            response.Content[Problems.ContentType] = new OpenApiMediaType
            {
                Schema = schema,
                // A 400 shows its schema's example, which names a field; any other the problem of its own status.
                Example = status == StatusCodes.Status400BadRequest ? null : ProblemExample(status, needsToken, clientCredential),
            };
        }

        foreach (var (headerStatus, name, description) in _headers)
        {
            if (headerStatus == status)
            {
                response.Headers[name] = new OpenApiHeader
                {
                    Description = clientCredential && name == HeaderNames.WWWAuthenticate ? "The scheme to authenticate with: Basic." : description,
                    Schema = new JsonSchema { Type = name == HeaderNames.RetryAfter ? JsonObjectType.Integer : JsonObjectType.String },
                };
            }
        }
    }

    /// <summary>A problem of this status as the service writes one, for Swagger UI to show beside the status.</summary>
    private static JObject ProblemExample(int status, bool needsToken, bool clientCredential) => new()
    {
        ["type"] = status switch
        {
            // Without a token is the 401 a token operation gives most; elsewhere it is a wrong password.
            StatusCodes.Status401Unauthorized when clientCredential => ProblemTypes.InvalidClient,
            StatusCodes.Status401Unauthorized => needsToken ? ProblemTypes.TokenRequired : ProblemTypes.InvalidCredentials,
            StatusCodes.Status409Conflict => ProblemTypes.Conflict,
            StatusCodes.Status412PreconditionFailed => ProblemTypes.PreconditionFailed,
            StatusCodes.Status429TooManyRequests => ProblemTypes.TooManyRequests,
            StatusCodes.Status503ServiceUnavailable => ProblemTypes.Unavailable,
            _ => "about:blank",
        },
        ["title"] = ReasonPhrases.GetReasonPhrase(status),
        ["status"] = status,
        ["detail"] = Problems.DefaultDetail(status),
        ["trace_id"] = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01",
    };
}
