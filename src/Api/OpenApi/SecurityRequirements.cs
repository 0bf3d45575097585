using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Newtonsoft.Json.Linq;
using NSwag;
using NSwag.Generation.AspNetCore;
using NSwag.Generation.Processors;
using NSwag.Generation.Processors.Contexts;

namespace Paseto.Auth.Api.OpenApi;

/// <summary>
/// Says on every operation what it needs: an access token (either scheme of the document, no
/// scopes: roles are checked from the database, not granted by the token) or nothing at all
/// (<c>security: []</c>, so no client sends a token where none is read).
/// </summary>
internal sealed class SecurityRequirements(params string[] schemes) : IOperationProcessor
{
    /// <summary>Whether the action needs an access token: it is authorized and not open to anonymous callers.</summary>
    public static bool NeedsToken(ActionDescriptor action) =>
        action.EndpointMetadata.OfType<IAuthorizeData>().Any() && !action.EndpointMetadata.OfType<IAllowAnonymous>().Any();

    public bool Process(OperationProcessorContext context)
    {
        var operation = context.OperationDescription.Operation;
        if (context.MethodInfo?.GetCustomAttributes(typeof(SecuritySchemeAttribute), inherit: true) is [SecuritySchemeAttribute own, ..])
        {
            operation.Security = [new OpenApiSecurityRequirement { [own.Scheme] = [] }];
        }
        else if (context is AspNetCoreOperationProcessorContext aspNetCore && NeedsToken(aspNetCore.ApiDescription.ActionDescriptor))
        {
            operation.Security = [.. schemes.Select(scheme => new OpenApiSecurityRequirement { [scheme] = [] })];
        }
        else
        {
            None(operation);
        }

        return true;
    }

    /// <summary>Says that the operation needs no token: <c>security: []</c>.</summary>
    public static void None(OpenApiOperation operation)
    {
        operation.Security = null;
        // NSwag's serializer leaves out empty collections, which here would mean "as the document
        // says" rather than "none"; a JSON token is written as it is.
        operation.ExtensionData ??= new Dictionary<string, object?>();
        operation.ExtensionData["security"] = new JArray();
    }
}
