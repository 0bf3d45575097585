using System.Text.Json;
using Microsoft.AspNetCore.Mvc.Controllers;
using NSwag;
using NSwag.Generation.AspNetCore;
using NSwag.Generation.Processors;
using NSwag.Generation.Processors.Contexts;
using NSwag.Generation.Processors.Security;

namespace Paseto.Auth.Api.OpenApi;

/// <summary>The OpenAPI document (/openapi/v1.json) and Swagger UI (/docs).</summary>
internal static class OpenApiSetup
{
    public const string DocumentPath = "/openapi/{documentName}.json";
    public const string BearerScheme = "bearer";
    public const string PasswordFlowScheme = "password";

    public static IServiceCollection AddApiDocument(this IServiceCollection services) =>
        services.AddOpenApiDocument(settings =>
        {
            settings.DocumentName = "v1";
            settings.Title = "Paseto.Auth";
            settings.Version = "v1";
            settings.Description = "Sign up, log in and get PASETO v4 tokens; sessions, profiles and posts.";
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
                Flows = new OpenApiOAuthFlows
                {
                    Password = new OpenApiOAuthFlow { TokenUrl = "/v1/login", Scopes = new Dictionary<string, string>() },
                },
            });
            settings.OperationProcessors.Add(new AspNetCoreOperationSecurityScopeProcessor(BearerScheme));
            settings.OperationProcessors.Add(new AspNetCoreOperationSecurityScopeProcessor(PasswordFlowScheme));
            settings.OperationProcessors.Add(new ActionNameOperationIds());
        });

    public static WebApplication UseApiDocument(this WebApplication app)
    {
        app.UseOpenApi(settings => settings.Path = DocumentPath);
        app.UseSwaggerUi(settings =>
        {
            settings.Path = "/docs";
            settings.DocumentPath = DocumentPath;
            settings.DocumentTitle = "Paseto.Auth";
            settings.PersistAuthorization = false;
        });
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
