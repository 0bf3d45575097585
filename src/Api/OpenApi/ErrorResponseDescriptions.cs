using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.Abstractions;
using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Paseto.Auth.Api.ErrorHandling;

namespace Paseto.Auth.Api.OpenApi;

/// <summary>
/// Makes every endpoint's error responses in the API description tell the truth, whatever its
/// attributes say: each error is a <see cref="Problem"/> (a 400 a <see cref="ValidationProblem"/>)
/// sent as <c>application/problem+json</c>, and the errors the pipeline adds on its own are listed
/// — 401 where a token is required; 400, 413 and 415 where a body is read; 503 (the database is
/// down) wherever the database is reached, which is every endpoint that checks a token or reads a body;
/// 400 and 431 everywhere (an unreadable request — a broken form body on a GET, say — and the
/// request limits are answered before any action runs).
/// Controllers declare only the outcomes of their own use case.
/// </summary>
internal sealed class ErrorResponseDescriptions : IApiDescriptionProvider
{
    // After the framework's provider (-1000), which builds the descriptions from the attributes.
    public int Order => 0;

    public void OnProvidersExecuting(ApiDescriptionProviderContext context)
    {
    }

    public void OnProvidersExecuted(ApiDescriptionProviderContext context)
    {
        foreach (var description in context.Results)
        {
            var needsToken = NeedsToken(description.ActionDescriptor);
            var readsBody = description.ParameterDescriptions.Any(p => p.Source == BindingSource.Body || p.Source == BindingSource.Form);
            if (needsToken)
            {
                Ensure(description, StatusCodes.Status401Unauthorized);
            }

            if (readsBody)
            {
                Ensure(description, StatusCodes.Status400BadRequest);
                Ensure(description, StatusCodes.Status413PayloadTooLarge);
                Ensure(description, StatusCodes.Status415UnsupportedMediaType);
            }

            if (needsToken || readsBody)
            {
                Ensure(description, StatusCodes.Status503ServiceUnavailable);
            }

            Ensure(description, StatusCodes.Status400BadRequest);
            Ensure(description, StatusCodes.Status431RequestHeaderFieldsTooLarge);

            foreach (var response in description.SupportedResponseTypes.Where(r => r.StatusCode >= 400))
            {
                response.Type = BodyOf(response.StatusCode);
                response.ModelMetadata = null;
                response.ApiResponseFormats = [new ApiResponseFormat { MediaType = Problems.ContentType }];
            }
        }
    }

    private static bool NeedsToken(ActionDescriptor action) =>
        action.EndpointMetadata.OfType<IAuthorizeData>().Any() && !action.EndpointMetadata.OfType<IAllowAnonymous>().Any();

    private static Type BodyOf(int status) => status == StatusCodes.Status400BadRequest ? typeof(ValidationProblem) : typeof(Problem);

    private static void Ensure(ApiDescription description, int status)
    {
        if (description.SupportedResponseTypes.All(r => r.StatusCode != status))
        {
            description.SupportedResponseTypes.Add(new ApiResponseType { StatusCode = status, Type = BodyOf(status) });
        }
    }
}
