using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Mvc.Formatters;
using Paseto.Auth.Api.ErrorHandling;

namespace Paseto.Auth.Api.RequestBodies;

/// <summary>
/// Reads JSON bodies (UTF-8 only) in place of the framework's reader, so that every way a body can
/// be wrong is a 400 that says what and where: bytes that are not UTF-8, JSON that is not
/// well-formed (with its line and position), nesting deeper than <c>Limits:MaxJsonDepth</c>, text
/// with a lone surrogate escape (<c>"\ud800"</c>, which no Unicode string holds and PostgreSQL
/// cannot store), a member the operation does not know and a value of the wrong type (both keyed
/// by their JSON names). The body is checked by
/// <see cref="JsonBodyCheck"/> before it is bound.
/// </summary>
internal sealed class JsonBodyFormatter : TextInputFormatter, IInputFormatterExceptionPolicy
{
    private readonly JsonSerializerOptions _options;
    private readonly int _maxDepth;

    public JsonBodyFormatter(JsonSerializerOptions options, int maxDepth)
    {
        _options = options;
        _maxDepth = maxDepth;
        SupportedEncodings.Add(new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true));
        SupportedMediaTypes.Add("application/json");
        SupportedMediaTypes.Add("text/json");
        SupportedMediaTypes.Add("application/*+json");
    }

    /// <summary>Failures of the body itself are reported as problems; any other (the client went away, the body is too large) goes on to the exception handler.</summary>
    public InputFormatterExceptionPolicy ExceptionPolicy => InputFormatterExceptionPolicy.MalformedInputExceptions;

    public override async Task<InputFormatterResult> ReadRequestBodyAsync(InputFormatterContext context, Encoding encoding)
    {
        using var body = await PooledBody.ReadAsync(context.HttpContext.Request, context.HttpContext.RequestAborted);
        var model = Bind(body.Span, _options.GetTypeInfo(context.ModelType));
        return model is null && !context.TreatEmptyInputAsDefaultValue
            ? await InputFormatterResult.NoValueAsync()
            : await InputFormatterResult.SuccessAsync(model);
    }

    private object? Bind(ReadOnlySpan<byte> json, JsonTypeInfo typeInfo)
    {
        // RFC 8259 §8.1: a parser may ignore a byte order mark.
        if (json.StartsWith(Encoding.UTF8.Preamble))
        {
            json = json[Encoding.UTF8.Preamble.Length..];
        }

        if (JsonBodyCheck.FindError(json, typeInfo, _maxDepth) is { } error)
        {
            throw new InvalidBodyException(error.Key, error.Message);
        }

        try
        {
            return JsonSerializer.Deserialize(json, typeInfo);
        }
        catch (JsonException exception)
        {
            // The text is sound (checked above), so what is left is a value the type cannot hold.
            throw new InvalidBodyException(JsonBodyCheck.KeyOf(exception.Path), "The value has the wrong type or format.");
        }
    }
}
