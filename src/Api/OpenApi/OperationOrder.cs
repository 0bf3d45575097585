using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Microsoft.AspNetCore.Mvc.Controllers;

namespace Paseto.Auth.Api.OpenApi;

/// <summary>
/// Lists the operations by their tag, alphabetically, and within a tag in the order the
/// controller declares them. Without it the document would follow the order in which the
/// assembly defines its controllers, so renaming a controller class or its file would move its
/// operations, and the schemas they bring, in the document and in the client generated from it.
/// </summary>
internal sealed class OperationOrder : IApiDescriptionProvider
{
    // After the framework's provider (-1000), which builds the descriptions.
    public int Order => 0;

    public void OnProvidersExecuting(ApiDescriptionProviderContext context)
    {
        // OrderBy is stable: actions of one tag keep their order.
        var ordered = context.Results.OrderBy(Tag, StringComparer.Ordinal).ToList();
        context.Results.Clear();
        foreach (var description in ordered)
        {
            context.Results.Add(description);
        }
    }

    public void OnProvidersExecuted(ApiDescriptionProviderContext context)
    {
    }

    /// <summary>The tag NSwag gives the operation: the controller's <c>[Tags]</c>, or else its name.</summary>
    private static string Tag(ApiDescription description) =>
        description.ActionDescriptor.EndpointMetadata.OfType<TagsAttribute>().SelectMany(t => t.Tags).FirstOrDefault()
        ?? (description.ActionDescriptor as ControllerActionDescriptor)?.ControllerName
        ?? string.Empty;
}
