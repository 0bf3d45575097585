using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Paseto.Auth.Api.OpenApi;

/// <summary>
/// The docs pages boot Swagger UI from an inline script that NSwag writes (from its settings and
/// the request's base path). Rather than let any inline script run ('unsafe-inline'), the page's
/// policy names these by their SHA-256 (CSP Level 2 hash sources): a script injected into the
/// page, which has no such hash, does not run.
/// </summary>
internal static partial class InlineScriptHashes
{
    private static readonly object _key = new();

    /// <summary>The hash sources of the inline scripts of the page being answered; empty for any other answer.</summary>
    public static string Of(HttpContext context) => context.Items.TryGetValue(_key, out var sources) ? (string)sources! : string.Empty;

    /// <summary>
    /// Keeps an HTML page in memory until it is written (a few KiB), to hash its inline scripts
    /// before the headers go out; other files stream through.
    /// </summary>
    public static async Task HashAsync(HttpContext context, RequestDelegate next)
    {
        if (context.Request.Path.Value?.EndsWith(".html", StringComparison.Ordinal) != true)
        {
            await next(context);
            return;
        }

        var original = context.Response.Body;
        using var page = new MemoryStream();
        context.Response.Body = page;
        try
        {
            await next(context);
        }
        finally
        {
            context.Response.Body = original;
        }

        var html = Encoding.UTF8.GetString(page.GetBuffer(), 0, (int)page.Length);
        context.Items[_key] = string.Join(' ', InlineScript().Matches(html).Select(script => Source(script.Groups[1].Value)));
        page.Position = 0;
        await page.CopyToAsync(original, context.RequestAborted);
    }

    /// <summary>
    /// The hash source of a script's text as the browser hashes it: after HTML parsing has turned
    /// every CR LF and lone CR into LF (NSwag's pages have CR LF line ends).
    /// </summary>
    private static string Source(string script)
    {
        var text = script.Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n');
        return $"'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(text)))}'";
    }

    // NSwag's pages write their inline scripts as a bare <script> tag; the others have a src.
    [GeneratedRegex("<script>(.*?)</script>", RegexOptions.Singleline | RegexOptions.CultureInvariant)]
    private static partial Regex InlineScript();
}
