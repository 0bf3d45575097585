using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Paseto.Auth.IntegrationTests.Support;

namespace Paseto.Auth.IntegrationTests.Posts;

/// <summary>The posts calls the tests make, over real HTTP.</summary>
internal static class PostClient
{
    public static Task<HttpResponseMessage> CreatePostAsync(this HttpClient client, string accessToken, string title, string? body = "Hello.") =>
        client.SendAsync(HttpMethod.Post, "/v1/posts", accessToken, new { title, body });

    public static async Task<JsonElement> CreatePostOkAsync(this HttpClient client, string accessToken, string title, string? body = "Hello.")
    {
        var response = await client.CreatePostAsync(accessToken, title, body);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.Created), await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    public static Task<HttpResponseMessage> PatchPostAsync(this HttpClient client, string accessToken, int id, object body, string? ifMatch = null) =>
        client.SendAsync(Request(HttpMethod.Patch, $"/v1/posts/{id}", accessToken, ifMatch, JsonContent.Create(body)));

    /// <summary>GET /v1/posts/{id} with an <c>If-None-Match</c> header sent as given.</summary>
    public static Task<HttpResponseMessage> GetPostIfNoneMatchAsync(this HttpClient client, string accessToken, int id, string ifNoneMatch) =>
        client.SendAsync(Request(HttpMethod.Get, $"/v1/posts/{id}", accessToken, null, null, ifNoneMatch));

    public static Task<HttpResponseMessage> DeletePostAsync(this HttpClient client, string accessToken, int id, string? ifMatch = null) =>
        client.SendAsync(Request(HttpMethod.Delete, $"/v1/posts/{id}", accessToken, ifMatch, null));

    public static async Task<JsonElement> GetPostOkAsync(this HttpClient client, string accessToken, int id)
    {
        var response = await client.GetAsync($"/v1/posts/{id}", accessToken);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    /// <summary>GET /v1/posts with the given query string; asserts 200.</summary>
    public static async Task<(int[] Ids, string? NextCursor)> ListPostsOkAsync(this HttpClient client, string accessToken, string query = "")
    {
        var response = await client.GetAsync($"/v1/posts{query}", accessToken);
        Assert.That(response.StatusCode, Is.EqualTo(HttpStatusCode.OK), await response.Content.ReadAsStringAsync());
        var page = await response.Content.ReadFromJsonAsync<JsonElement>();
        var next = page.GetProperty("next_cursor");
        return ([.. page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("id").GetInt32())],
            next.ValueKind == JsonValueKind.Null ? null : next.GetString());
    }

    public static int Id(this JsonElement post) => post.GetProperty("id").GetInt32();

    public static string ETag(this HttpResponseMessage response) =>
        response.Headers.ETag?.ToString() ?? throw new AssertionException("The response has no ETag.");

    /// <summary>A request with <c>If-Match</c> and <c>If-None-Match</c> headers sent as given, valid or not.</summary>
    private static HttpRequestMessage Request(HttpMethod method, string path, string accessToken, string? ifMatch, HttpContent? content, string? ifNoneMatch = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        if (ifNoneMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-None-Match", ifNoneMatch);
        }

        return request;
    }
}
