using Mediator;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Paseto.Auth.Application.Auth;

namespace Paseto.Auth.Api.Controllers;

[ApiController]
[Route("v1/keys")]
[Produces("application/json")]
public sealed class KeysController(ISender sender) : ControllerBase
{
    /// <summary>
    /// The public keys that verify our <c>v4.public</c> tokens, as PASERK, by the id a token's
    /// footer names. Empty when tokens use purpose <c>local</c>.
    /// </summary>
    [HttpGet]
    [AllowAnonymous]
    [ProducesResponseType<PublicKeysResponse>(StatusCodes.Status200OK)]
    public async Task<PublicKeysResponse> GetKeys(CancellationToken cancellationToken) =>
        await sender.Send(new GetPublicKeysQuery(), cancellationToken);
}
