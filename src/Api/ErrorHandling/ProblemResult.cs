using Microsoft.AspNetCore.Mvc;

namespace Paseto.Auth.Api.ErrorHandling;

/// <summary>Writes a problem through <see cref="IProblemDetailsService"/>, so MVC's own failures look like every other error.</summary>
internal sealed class ProblemResult(ProblemDetails problem) : IActionResult
{
    public async Task ExecuteResultAsync(ActionContext context)
    {
        var httpContext = context.HttpContext;
        httpContext.Response.StatusCode = problem.Status ?? StatusCodes.Status400BadRequest;
        var service = httpContext.RequestServices.GetRequiredService<IProblemDetailsService>();
        await service.WriteAsync(new ProblemDetailsContext { HttpContext = httpContext, ProblemDetails = problem });
    }
}
