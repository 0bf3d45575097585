using System.Globalization;
using System.Text;
using Paseto.Auth.IntegrationTests.Support;

namespace Paseto.Auth.IntegrationTests.Fuzz;

/// <summary>One request the fuzzer sends, kept as plain data so a failure can be replayed with curl.</summary>
public sealed record FuzzRequest(string Method, string PathAndQuery, IReadOnlyList<(string Name, string Value)> Headers, byte[]? Body, string? ContentType, string Mutation)
{
    public HttpRequestMessage ToMessage()
    {
        var message = new HttpRequestMessage(new HttpMethod(Method), PathAndQuery);
        if (Body is not null)
        {
            message.Content = new ByteArrayContent(Body);
            if (ContentType is not null)
            {
                message.Content.Headers.TryAddWithoutValidation("Content-Type", ContentType);
            }
        }

        foreach (var (name, value) in Headers)
        {
            message.Headers.TryAddWithoutValidation(name, value);
        }

        return message;
    }

    /// <summary>
    /// Whether the server refuses these bytes itself (a 400) before the API sees them: a request
    /// target that is not printable ASCII (RFC 9112 §3.2), a NUL in a field value. Other control
    /// characters reach the API, which must answer them like any other request.
    /// </summary>
    public bool IsRefusedByServer =>
        PathAndQuery.Any(c => c is <= ' ' or > '~')
        || Headers.Concat(ContentType is null ? [] : [("Content-Type", ContentType)]).Any(h => h.Value.Contains('\0', StringComparison.Ordinal));

    /// <summary>The request line and header lines for <see cref="RawHttp"/>: each character is sent as one byte (U+0080–U+00FF as 0x80–0xFF).</summary>
    public string ToRawHead()
    {
        var head = new StringBuilder().Append(CultureInfo.InvariantCulture, $"{Method} {PathAndQuery} HTTP/1.1");
        if (Body is not null && ContentType is not null)
        {
            head.Append("\r\nContent-Type: ").Append(ContentType);
        }

        foreach (var (name, value) in Headers)
        {
            head.Append("\r\n").Append(name).Append(": ").Append(value);
        }

        return head.ToString();
    }

    /// <summary>A one-line curl command that sends this request again (the member's token left as a variable).</summary>
    public string ToCurl(string memberToken)
    {
        var line = new StringBuilder();
        if (Body is not null)
        {
            line.Append(CultureInfo.InvariantCulture, $"printf %s {Convert.ToBase64String(Body)} | base64 -d | ");
        }

        line.Append(CultureInfo.InvariantCulture, $"curl -sS -i -X {Method} {Quote("http://127.0.0.1:8000" + PathAndQuery)}");
        if (ContentType is not null)
        {
            line.Append(CultureInfo.InvariantCulture, $" -H {Quote("Content-Type: " + ContentType)}");
        }

        foreach (var (name, value) in Headers)
        {
            var shown = value.Replace(memberToken, "$MEMBER_TOKEN", StringComparison.Ordinal);
            line.Append(shown.Contains("$MEMBER_TOKEN", StringComparison.Ordinal)
                ? $" -H \"{name}: {shown.Replace("\"", "\\\"", StringComparison.Ordinal)}\""
                : $" -H {Quote($"{name}: {shown}")}");
        }

        if (Body is not null)
        {
            line.Append(" --data-binary @-");
        }

        return line.ToString();
    }

    private static string Quote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
