using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Formatters;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Paseto.Auth.Api.Authentication;
using Paseto.Auth.Api.ErrorHandling;
using Paseto.Auth.Api.Hosting;
using Paseto.Auth.Api.OpenApi;
using Paseto.Auth.Api.RequestBodies;
using Paseto.Auth.Application.Abstractions;
using Paseto.Auth.Application.Exceptions;
using Paseto.Auth.Infrastructure;
using Paseto.Auth.Infrastructure.Security;

namespace Paseto.Auth.Api;

public static partial class DependencyInjection
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "No password pepper is configured (Auth:Passwords:Peppers); a stolen database is all an offline attack needs.")]
    private static partial void LogNoPepper(ILogger logger);

    /// <summary>The CORS allow-list: origins (scheme, host and port) that browsers may call the API from.</summary>
    public const string CorsOriginsKey = "Cors:AllowedOrigins";

    public static IServiceCollection AddApi(this IServiceCollection services, IConfiguration configuration)
    {
        // Client addresses from X-Forwarded-For only when the request comes from a proxy the
        // operator named (Network:KnownProxies); by default the socket's address is the client's.
        var proxies = configuration.GetSection("Network:KnownProxies").Get<string[]>() ?? [];
        services.Configure<ForwardedHeadersOptions>(options =>
        {
            options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            options.KnownIPNetworks.Clear();
            options.KnownProxies.Clear();
            for (var i = 0; i < proxies.Length; i++)
            {
                options.KnownProxies.Add(System.Net.IPAddress.TryParse(proxies[i], out var address)
                    ? address
                    : throw new ConfigurationException($"Network:KnownProxies:{i} (Network__KnownProxies__{i}) is not an IP address."));
            }
        });
        var limits = configuration.GetSection(RequestLimitOptions.Section).Get<RequestLimitOptions>() ?? new RequestLimitOptions();
        services.AddRequestLimits(configuration);
        services.AddAccountConsole(configuration);
        services.Configure<HostOptions>(options =>
            options.ShutdownTimeout = configuration.GetValue("Hosting:ShutdownTimeout", TimeSpan.FromSeconds(30)));
        // None by default: a browser on another origin gets no CORS headers, so it cannot read answers.
        var origins = configuration.GetSection(CorsOriginsKey).Get<string[]>() ?? [];
        services.AddCors(options => options.AddDefaultPolicy(policy => policy
            .WithOrigins(origins)
            .WithMethods("GET", "POST", "PUT", "PATCH", "DELETE")
            .WithHeaders("Authorization", "Content-Type", "If-Match")
            .WithExposedHeaders("ETag", "Location", "Retry-After", "WWW-Authenticate")
            .SetPreflightMaxAge(TimeSpan.FromMinutes(10))));

        services.AddMediator(options =>
        {
            options.ServiceLifetime = ServiceLifetime.Scoped;
            options.Assemblies = [typeof(Application.DependencyInjection)];
            // The referer secret is checked before validation, so a caller without it learns no rules.
            options.PipelineBehaviors = [typeof(Application.Behaviors.RefererSecretBehavior<,>), typeof(Application.Behaviors.ValidationBehavior<,>)];
        });

        services.AddControllers(options =>
            {
                // FluentValidation owns validation; the framework's implicit [Required] would report twice.
                options.SuppressImplicitRequiredAttributeForNonNullableReferenceTypes = true;
                // No action binds jQuery's bracket keys (a[b]=1); their readers throw (a 500) on an
                // unclosed one in any form or query, before any action runs.
                options.ValueProviderFactories.RemoveType<JQueryFormValueProviderFactory>();
                options.ValueProviderFactories.RemoveType<JQueryQueryStringValueProviderFactory>();
                options.Filters.Add<Utf8BodyFilter>();
                options.Filters.Add<Authentication.SecondFactorRoleGate>();
            })
            .AddJsonOptions(options => ConfigureJson(options.JsonSerializerOptions, limits.MaxJsonDepth))
            // Binding failures (malformed JSON, wrong types, bad route values) take the same path as
            // validation failures: one exception, one handler, one problem shape.
            .ConfigureApiBehaviorOptions(options =>
            {
                options.InvalidModelStateResponseFactory = context =>
                    throw new RequestValidationException(ValidationErrors.FromModelState(context.ModelState));

                // A problem without a type of its own is about:blank, not a link to its status's RFC section.
                foreach (var mapping in options.ClientErrorMapping.Values)
                {
                    mapping.Link = null;
                }
            });
        services.ConfigureHttpJsonOptions(options => ConfigureJson(options.SerializerOptions, limits.MaxJsonDepth));
        // Our JSON reader in place of the framework's: it says what is wrong with a body, and where.
        services.AddOptions<MvcOptions>().Configure<IOptions<JsonOptions>>((mvc, json) =>
        {
            mvc.InputFormatters.RemoveType<SystemTextJsonInputFormatter>();
            mvc.InputFormatters.Insert(0, new JsonBodyFormatter(json.Value.JsonSerializerOptions, limits.MaxJsonDepth));
        });

        services.AddProblemDetails(options => options.CustomizeProblemDetails = context =>
        {
            context.ProblemDetails.Extensions.Remove("traceId");
            context.ProblemDetails.Extensions["trace_id"] = System.Diagnostics.Activity.Current?.Id ?? context.HttpContext.TraceIdentifier;
            if (context.ProblemDetails.Status == StatusCodes.Status415UnsupportedMediaType)
            {
                // Whoever refused the body (routing, [Consumes], the charset check), the answer says what to send.
                context.ProblemDetails.Type = ProblemTypes.UnsupportedMediaType;
                context.ProblemDetails.Detail ??= context.HttpContext.RequestServices.GetRequiredService<AcceptedMediaTypes>().Detail(context.HttpContext.Request);
            }

            context.ProblemDetails.Detail ??= Problems.DefaultDetail(context.ProblemDetails.Status);
            // The framework fills type and title only for the statuses it knows; the OpenAPI
            // document promises them on every problem (RFC 9457 §4.2.1: about:blank + the reason phrase).
            context.ProblemDetails.Type ??= "about:blank";
            context.ProblemDetails.Title ??= Microsoft.AspNetCore.WebUtilities.ReasonPhrases.GetReasonPhrase(
                context.ProblemDetails.Status ?? context.HttpContext.Response.StatusCode);
        });
        // Ours in place of the framework's writers, which decline clients that do not accept JSON.
        services.RemoveAll<IProblemDetailsWriter>();
        services.AddSingleton<IProblemDetailsWriter, ProblemWriter>();
        services.AddExceptionHandler<ApiExceptionHandler>();
        services.AddSingleton<Utf8BodyFilter>();
        services.AddSingleton<AcceptedMediaTypes>();

        services.AddAuthentication(PasetoBearerHandler.SchemeName)
            .AddScheme<AuthenticationSchemeOptions, PasetoBearerHandler>(PasetoBearerHandler.SchemeName, null);
        services.AddAuthorization();
        services.AddApiDocument();
        services.AddTelemetry(configuration);
        return services;
    }

    public static WebApplication UseApi(this WebApplication app)
    {
        // Fail at start, naming the missing setting, rather than on the first login; and before
        // the host starts, which would log the failure with its stack trace before rethrowing it.
        app.Services.GetRequiredService<IStartupValidator>().Validate();
        app.Services.GetRequiredService<ITokenService>();
        app.Services.GetRequiredService<IPasswordHasher>();
        app.Services.GetRequiredService<IFactorSecretSealer>();
        if (app.Environment.IsProduction()
            && app.Services.GetRequiredService<IOptions<PasswordHashingOptions>>().Value.Peppers.Length == 0)
        {
            LogNoPepper(app.Logger);
        }

        // Without a known proxy no forwarded header is believed, so the middleware would only look.
        if (app.Services.GetRequiredService<IOptions<ForwardedHeadersOptions>>().Value.KnownProxies.Count > 0)
        {
            app.UseForwardedHeaders();
        }

        app.UseSecurityHeaders(hsts: app.Environment.IsProduction());
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseRequestLimits();
        app.UseShutdownSafeRequestBody();
        app.UseAccountConsole();
        // Routing after the exception handler, so whatever it throws still ends as a problem.
        app.UseRouting();
        app.UseCors();
        app.UseApiDocument();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapHealthEndpoints();
        app.MapControllers();
        return app;
    }

    private static void ConfigureJson(JsonSerializerOptions options, int maxDepth)
    {
        options.PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower;
        options.MaxDepth = maxDepth;
        // A member the schema does not have is refused, as the OpenAPI document says
        // (additionalProperties: false): a typo such as "titel" is named, not dropped. Names are
        // matched exactly, as JSON Schema matches them: "Title" is not "title".
        options.UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow;
        options.PropertyNameCaseInsensitive = false;
    }
}
