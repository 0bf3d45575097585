namespace Paseto.Auth.Api.OpenApi;

/// <summary>
/// Another request body the operation takes, read by an action on the same route that the API
/// explorer does not see: the document shows one operation with both bodies.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
internal sealed class AlsoAcceptsAttribute(string contentType, Type body) : Attribute
{
    public string ContentType { get; } = contentType;

    public Type Body { get; } = body;
}

/// <summary>A header the response with this status carries, as the action sets it.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
internal sealed class ResponseHeaderAttribute(int status, string name, string description) : Attribute
{
    public int Status { get; } = status;

    public string Name { get; } = name;

    public string Description { get; } = description;
}

/// <summary>An optional request header the operation reads without binding it to a parameter.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
internal sealed class RequestHeaderAttribute(string name, string description) : Attribute
{
    public string Name { get; } = name;

    public string Description { get; } = description;
}

/// <summary>The operation authenticates its caller with this scheme of the document instead of an access token.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class SecuritySchemeAttribute(string scheme) : Attribute
{
    public string Scheme { get; } = scheme;
}
