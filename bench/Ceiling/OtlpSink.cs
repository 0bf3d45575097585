namespace Paseto.Auth.Ceiling;

/// <summary>
/// <c>otlp-sink</c>: the OTLP/HTTP receiving end that <c>BENCH_TELEMETRY=1</c> and
/// <c>BENCH_COMPARE=telemetry</c> export to, so the instrumented API pays for what a collector
/// costs it (spans and metrics made, batched, serialised and sent) and nothing for a refused
/// connection's retries. Every export to <c>/v1/traces</c>, <c>/v1/metrics</c> or
/// <c>/v1/logs</c> is read whole and answered 200 with an empty <c>Export*ServiceResponse</c>
/// (zero bytes of protobuf: nothing rejected); <c>GET /stats</c> tells how many arrived.
/// </summary>
internal static class OtlpSink
{
    public const string Verb = "otlp-sink";

    public static async Task<int> RunAsync(string[] args)
    {
        var app = WebApplication.CreateSlimBuilder(args).Build();
        var received = new Received();
        foreach (var path in new[] { "/v1/traces", "/v1/metrics", "/v1/logs" })
        {
            app.MapPost(path, async (HttpRequest request, CancellationToken cancellationToken) =>
            {
                var buffer = new byte[16 * 1024];
                long length = 0;
                int read;
                while ((read = await request.Body.ReadAsync(buffer, cancellationToken)) > 0)
                {
                    length += read;
                }

                received.Add(length);
                return Results.Bytes([], "application/x-protobuf");
            });
        }

        app.MapGet("/stats", () => Results.Text(received.ToJson(), "application/json"));
        await app.RunAsync();
        return 0;
    }

    private sealed class Received
    {
        private long _requests;
        private long _bytes;

        public void Add(long bytes)
        {
            Interlocked.Increment(ref _requests);
            Interlocked.Add(ref _bytes, bytes);
        }

        public string ToJson() => string.Create(System.Globalization.CultureInfo.InvariantCulture,
            $"{{\"requests\":{Interlocked.Read(ref _requests)},\"bytes\":{Interlocked.Read(ref _bytes)}}}");
    }
}
