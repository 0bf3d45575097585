namespace Paseto.Auth.Api.OpenApi;

/// <summary>
/// The two files /docs adds to Swagger UI, served as files so that the page's policy needs
/// nothing inline for them. Swagger UI's password flow asks for a client id, a client secret and
/// where to send them, and sends them (empty) as <c>Authorization: Basic</c> with every login;
/// this API has no OAuth clients, and no setting of Swagger UI leaves them out, so these do: the
/// stylesheet hides the three fields, the script sends the form alone.
/// </summary>
internal static class DocsAssets
{
    public const string StylesheetPath = OpenApiSetup.DocsPath + "/paseto-auth.css";
    public const string ScriptPath = OpenApiSetup.DocsPath + "/paseto-auth.js";

    // Each field sits with its label in a div.wrapper of its own (inside wrappers that hold them
    // all): the one to hide is the wrapper whose own label names the field.
    private const string Stylesheet = """
        .auth-container .wrapper:has(> label[for="password_type"]),
        .auth-container .wrapper:has(> label[for="client_id_password"]),
        .auth-container .wrapper:has(> label[for="client_secret_password"]) {
          display: none;
        }
        """;

    // Runs before the page's own script builds Swagger UI (on load), and adds a plugin to it: the
    // password grant's client credentials go in the form, where empty ones are left out.
    private const string Script = """
        "use strict";
        (() => {
          const build = window.SwaggerUIBundle;
          const noClientCredentials = () => ({
            statePlugins: {
              auth: {
                wrapActions: {
                  authorizePassword: (authorize) => (auth) =>
                    authorize({ ...auth, passwordType: "request-body", clientId: "", clientSecret: "" }),
                },
              },
            },
          });
          window.SwaggerUIBundle = Object.assign(
            (options) => build({ ...options, plugins: [...(options.plugins || []), noClientCredentials] }),
            build);
        })();
        """;

    /// <summary>Answers a GET of one of the files; anything else goes on down the pipeline.</summary>
    public static Task ServeAsync(HttpContext context, RequestDelegate next)
    {
        if (!HttpMethods.IsGet(context.Request.Method))
        {
            return next(context);
        }

        var (contentType, content) = context.Request.Path.Value switch
        {
            StylesheetPath => ("text/css; charset=utf-8", Stylesheet),
            ScriptPath => ("text/javascript; charset=utf-8", Script),
            _ => (null, null),
        };
        if (content is null)
        {
            return next(context);
        }

        context.Response.ContentType = contentType;
        return context.Response.WriteAsync(content);
    }
}
