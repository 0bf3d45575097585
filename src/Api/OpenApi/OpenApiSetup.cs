using System.Text.Json;
using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Microsoft.AspNetCore.Mvc.Controllers;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Newtonsoft.Json.Linq;
using NJsonSchema;
using NJsonSchema.Generation.TypeMappers;
using NSwag;
using NSwag.AspNetCore;
using NSwag.Generation.AspNetCore;
using NSwag.Generation.Processors;
using NSwag.Generation.Processors.Contexts;
using Paseto.Auth.Application;

namespace Paseto.Auth.Api.OpenApi;

/// <summary>
/// The OpenAPI document (/openapi/v1.json) and Swagger UI (/docs). The TypeScript client in
/// clients/typescript is generated from this document, so what it says is what clients compile
/// against: the conventions here apply to every controller, not to one at a time.
/// </summary>
internal static class OpenApiSetup
{
    public const string DocumentPath = "/openapi/{documentName}.json";
    public const string DocumentsPath = "/openapi";
    public const string DocsPath = "/docs";
    public const string BearerScheme = "bearer";
    public const string PasswordFlowScheme = "password";
    public const string IntrospectionClientScheme = "introspection_client";

    /// <summary>The licence of the API and its clients (the repository's LICENSE file).</summary>
    public const string LicenseUrl = "https://spdx.org/licenses/MIT.html";

    public static IServiceCollection AddApiDocument(this IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Transient<IApiDescriptionProvider, ErrorResponseDescriptions>());
        services.TryAddEnumerable(ServiceDescriptor.Transient<IApiDescriptionProvider, OperationOrder>());
        return services.AddOpenApiDocument((settings, provider) =>
        {
            settings.DocumentName = "v1";
            settings.Title = "Paseto.Auth";
            settings.Version = "v1";
            settings.Description = "Sign up, log in and get PASETO v4 tokens; sessions, profiles and posts.";
            settings.SchemaSettings.SchemaProcessors.Add(new RequiredProperties());
            settings.SchemaSettings.SchemaProcessors.Add(new SchemaRules(provider.GetRequiredService<IOptions<AuthOptions>>().Value.SelfAssignableRoles));
            settings.SchemaSettings.SchemaProcessors.Add(new SchemaExamples());
            // "uuid" is the format the OpenAPI format registry names; NJsonSchema writes "guid".
            settings.SchemaSettings.TypeMappers.Add(new PrimitiveTypeMapper(typeof(Guid), schema =>
            {
                schema.Type = JsonObjectType.String;
                schema.Format = "uuid";
            }));
            settings.AddSecurity(BearerScheme, new OpenApiSecurityScheme
            {
                Type = OpenApiSecuritySchemeType.Http,
                Scheme = "bearer",
                BearerFormat = "PASETO v4",
                Description = "An access token from POST /v1/login.",
            });
            settings.AddSecurity(PasswordFlowScheme, new OpenApiSecurityScheme
            {
                Type = OpenApiSecuritySchemeType.OAuth2,
                Description = "Username (or email) and password; Swagger UI posts them to /v1/login as a form.",
                // OpenAPI requires the flow's scopes, and there are none (roles come from the
                // database); NSwag leaves out an empty map, so the flow is written as JSON.
                ExtensionData = new Dictionary<string, object?>
                {
                    ["flows"] = new JObject
                    {
                        ["password"] = new JObject { ["tokenUrl"] = "/v1/login", ["scopes"] = new JObject() },
                    },
                },
            });
            settings.AddSecurity(IntrospectionClientScheme, new OpenApiSecurityScheme
            {
                Type = OpenApiSecuritySchemeType.Http,
                Scheme = "basic",
                Description = "A resource server's introspection credential (Introspection:Clients): its id and secret, form-encoded, in HTTP Basic (RFC 6749 §2.3.1).",
            });
            settings.PostProcess = document => document.Info.License = new OpenApiLicense { Name = "MIT", Url = LicenseUrl };
            settings.OperationProcessors.Add(new SecurityRequirements(BearerScheme, PasswordFlowScheme));
            settings.OperationProcessors.Add(new ActionNameOperationIds());
            settings.OperationProcessors.Add(new DeclaredDocumentation());
            settings.OperationProcessors.Add(new ParameterRules());
            settings.OperationProcessors.Add(new ResponseDocumentation());
            settings.DocumentProcessors.Add(new HealthDocumentation());
        });
    }

    /// <summary>
    /// The document and the UI, in a branch that only their own paths enter: the other requests
    /// skip its middlewares (inline-script hashes, our two files, document, redirect, index,
    /// default files, static files).
    /// </summary>
    public static WebApplication UseApiDocument(this WebApplication app)
    {
        app.UseWhen(
            context => context.Request.Path.StartsWithSegments(DocsPath) || context.Request.Path.StartsWithSegments(DocumentsPath),
            branch => branch
                .Use(InlineScriptHashes.HashAsync)
                .Use(DocsAssets.ServeAsync)
                .UseOpenApi(settings =>
                {
                    settings.Path = DocumentPath;
                    // Instead of the request's host: paths are relative to wherever the document was
                    // fetched from, which stays right behind a proxy and keeps the document the same
                    // on every host and port; written out rather than left to the default of OpenAPI.
                    settings.PostProcess = (document, _) =>
                    {
                        document.Servers.Clear();
                        document.Servers.Add(new OpenApiServer { Url = "/" });
                    };
                })
                .UseSwaggerUi(settings =>
                {
                    settings.Path = DocsPath;
                    settings.DocumentPath = DocumentPath;
                    settings.DocumentTitle = "Paseto.Auth";
                    settings.PersistAuthorization = false;
                    // Operations listed on arrival, not folded away under their tags.
                    settings.DocExpansion = "list";
                    // No client id, secret or realm: the API has no OAuth clients, and NSwag's defaults
                    // ("client_id", "client_secret") would be filled in and sent with every login.
                    settings.OAuth2Client = new OAuth2ClientSettings { ClientId = string.Empty, ClientSecret = string.Empty, Realm = string.Empty, AppName = "Paseto.Auth" };
                    settings.CustomStylesheetPath = DocsAssets.StylesheetPath;
                    settings.CustomJavaScriptPath = DocsAssets.ScriptPath;
                }));
        return app;
    }

    /// <summary>Operation ids from action names (<c>signup</c>, <c>login</c>, <c>getMe</c>): the generated client's method names.</summary>
    private sealed class ActionNameOperationIds : IOperationProcessor
    {
        public bool Process(OperationProcessorContext context)
        {
            if (context is AspNetCoreOperationProcessorContext { ApiDescription.ActionDescriptor: ControllerActionDescriptor action })
            {
                context.OperationDescription.Operation.OperationId = JsonNamingPolicy.CamelCase.ConvertName(action.ActionName);
            }

            return true;
        }
    }
}
