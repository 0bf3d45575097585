using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;

namespace Paseto.Auth.Api.Hosting;

/// <summary>Where the account console's built files are (<c>AccountConsole:*</c>).</summary>
public sealed class AccountConsoleOptions
{
    public const string Section = "AccountConsole";

    /// <summary>Whether <c>/account</c> serves the console; false leaves the path unanswered (404).</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>
    /// The folder holding the console's <c>index.html</c> and <c>assets/</c>; a relative path is
    /// read against the content root. Unset: the <c>account</c> folder beside the service's own
    /// binaries, where the build and <c>dotnet publish</c> put <c>clients/account/dist</c>.
    /// </summary>
    public string? Directory { get; set; }
}

/// <summary>
/// Serves the account console at <c>/account</c>: its hashed files under <c>/account/assets/</c>,
/// and for every page path (<c>/account/sessions</c>, <c>/account/verify-email</c>) its one HTML
/// page, whose script routes on the path. Only GET and HEAD; a file that is not there is a 404,
/// never the page. The headers (its own CSP, the cache lifetimes) are set in <see cref="SecurityHeaders"/>.
/// </summary>
internal static partial class AccountConsole
{
    public const string Path = "/account";
    public const string AssetsPath = Path + AssetsSegment;
    private const string AssetsSegment = "/assets";

    [LoggerMessage(Level = LogLevel.Warning, Message = "The account console is not built: {Directory} has no index.html, so /account answers 404 (scripts/run.sh builds it; AccountConsole:Directory names another folder).")]
    private static partial void LogNotBuilt(ILogger logger, string directory);

    /// <summary>
    /// Whether the request is for the console, and for one of its hashed files; asked when the
    /// answer starts, which may be inside the console's branch, where the branch has moved
    /// <c>/account</c> from the path to the path base.
    /// </summary>
    public static bool Serves(HttpRequest request, out bool asset)
    {
        if (request.PathBase.StartsWithSegments(Path))
        {
            asset = request.Path.StartsWithSegments(AssetsSegment);
            return true;
        }

        asset = request.Path.StartsWithSegments(AssetsPath);
        return asset || request.Path.StartsWithSegments(Path);
    }

    public static IServiceCollection AddAccountConsole(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AccountConsoleOptions>().Bind(configuration.GetSection(AccountConsoleOptions.Section));
        return services;
    }

    public static WebApplication UseAccountConsole(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<AccountConsoleOptions>>().Value;
        if (!options.Enabled)
        {
            return app;
        }

        var directory = System.IO.Path.GetFullPath(options.Directory is { Length: > 0 } configured
            ? System.IO.Path.Combine(app.Environment.ContentRootPath, configured)
            : System.IO.Path.Combine(AppContext.BaseDirectory, "account"));
        var page = System.IO.Path.Combine(directory, "index.html");
        if (!File.Exists(page))
        {
            LogNotBuilt(app.Logger, directory);
            return app;
        }

        var files = new PhysicalFileProvider(directory);
        ((IApplicationBuilder)app).Map(new PathString(Path), branch =>
        {
            branch.UseStaticFiles(new StaticFileOptions { FileProvider = files });
            branch.Run(context =>
            {
                // A page path is a name without a dot; anything else (a missing asset, a stray
                // file name) is not the page, or a stale script name would get HTML back.
                var rest = context.Request.Path.Value ?? string.Empty;
                var isPage = (HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method))
                    && !context.Request.Path.StartsWithSegments(AssetsSegment)
                    && !rest.Contains('.', StringComparison.Ordinal);
                if (!isPage)
                {
                    context.Response.StatusCode = StatusCodes.Status404NotFound;
                    return Task.CompletedTask;
                }

                context.Response.ContentType = "text/html; charset=utf-8";
                return HttpMethods.IsHead(context.Request.Method) ? Task.CompletedTask : context.Response.SendFileAsync(files.GetFileInfo("index.html"));
            });
        });
        return app;
    }
}
