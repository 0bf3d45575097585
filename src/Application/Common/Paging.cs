namespace Paseto.Auth.Application.Common;

/// <summary>The page sizes of every list the API pages (<c>limit</c>).</summary>
public static class Paging
{
    public const int DefaultLimit = 20;
    public const int MaxLimit = 100;
}
