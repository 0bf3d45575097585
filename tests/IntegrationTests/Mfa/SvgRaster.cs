using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace Paseto.Auth.IntegrationTests.Mfa;

/// <summary>
/// Paints an SVG of axis-aligned shapes (what a QR code is: <c>rect</c> elements and paths of
/// straight horizontal and vertical lines) onto a grey bitmap, in document order, as a renderer
/// would; the fill of each shape is its own, so a white background painted over black is white.
/// Anything it cannot draw fails the test rather than being skipped.
/// </summary>
internal static partial class SvgRaster
{
    /// <returns>One byte a pixel, 0 black and 255 white, <paramref name="scale"/> pixels a user unit.</returns>
    public static (byte[] Pixels, int Width, int Height) Render(string svg, int scale)
    {
        var root = XDocument.Parse(svg).Root!;
        var (width, height) = Size(root);
        var (w, h) = ((int)Math.Ceiling(width * scale), (int)Math.Ceiling(height * scale));
        var pixels = new byte[w * h];
        Array.Fill(pixels, (byte)255);
        foreach (var element in root.Descendants())
        {
            var fill = Luminance(element.Attribute("fill")?.Value ?? element.Attribute("style")?.Value);
            switch (element.Name.LocalName)
            {
                case "rect":
                    Fill(pixels, w, h, scale, Number(element, "x"), Number(element, "y"), Number(element, "width"), Number(element, "height"), fill);
                    break;
                case "path":
                    foreach (var (x, y, rw, rh) in Rectangles(element.Attribute("d")!.Value))
                    {
                        Fill(pixels, w, h, scale, x, y, rw, rh, fill);
                    }

                    break;
                case "svg" or "g" or "title" or "desc" or "defs":
                    break;
                default:
                    Assert.Fail($"The raster cannot draw <{element.Name.LocalName}>.");
                    break;
            }
        }

        return (pixels, w, h);
    }

    private static (double Width, double Height) Size(XElement root)
    {
        if (root.Attribute("viewBox")?.Value is { } viewBox)
        {
            var parts = viewBox.Split([' ', ','], StringSplitOptions.RemoveEmptyEntries).Select(p => double.Parse(p, CultureInfo.InvariantCulture)).ToArray();
            return (parts[2], parts[3]);
        }

        return (Number(root, "width"), Number(root, "height"));
    }

    private static double Number(XElement element, string name) =>
        element.Attribute(name) is { } a ? double.Parse(a.Value.Replace("px", "", StringComparison.Ordinal), CultureInfo.InvariantCulture) : 0;

    private static byte Luminance(string? fill)
    {
        var hex = fill is null ? null : HexColor().Match(fill) is { Success: true } m ? m.Groups[1].Value : null;
        return hex switch
        {
            null when fill is null || fill.Contains("black", StringComparison.OrdinalIgnoreCase) => 0,
            null when fill.Contains("white", StringComparison.OrdinalIgnoreCase) => 255,
            { Length: 6 } => (byte)((Convert.ToInt32(hex[..2], 16) + Convert.ToInt32(hex[2..4], 16) + Convert.ToInt32(hex[4..], 16)) / 3),
            { Length: 3 } => (byte)((Convert.ToInt32(new string(hex[0], 2), 16) + Convert.ToInt32(new string(hex[1], 2), 16) + Convert.ToInt32(new string(hex[2], 2), 16)) / 3),
            _ => throw new AssertionException($"The raster cannot read the fill '{fill}'."),
        };
    }

    /// <summary>The closed rectangles of a path made of M, H, V, h, v, L and Z commands, one rectangle per subpath.</summary>
    private static IEnumerable<(double X, double Y, double W, double H)> Rectangles(string d)
    {
        var tokens = PathToken().Matches(d).Select(m => m.Value).ToList();
        double x = 0, y = 0;
        var points = new List<(double, double)>();
        for (var i = 0; i < tokens.Count; i++)
        {
            var command = tokens[i][0];
            double Next() => double.Parse(tokens[++i], CultureInfo.InvariantCulture);
            switch (command)
            {
                case 'M': x = Next(); y = Next(); points = [(x, y)]; break;
                case 'm': x += Next(); y += Next(); points = [(x, y)]; break;
                case 'H': x = Next(); points.Add((x, y)); break;
                case 'h': x += Next(); points.Add((x, y)); break;
                case 'V': y = Next(); points.Add((x, y)); break;
                case 'v': y += Next(); points.Add((x, y)); break;
                case 'L': x = Next(); y = Next(); points.Add((x, y)); break;
                case 'l': x += Next(); y += Next(); points.Add((x, y)); break;
                case 'Z' or 'z':
                    var (minX, maxX) = (points.Min(p => p.Item1), points.Max(p => p.Item1));
                    var (minY, maxY) = (points.Min(p => p.Item2), points.Max(p => p.Item2));
                    Assert.That(points.All(p => (p.Item1 == minX || p.Item1 == maxX) && (p.Item2 == minY || p.Item2 == maxY)), Is.True, "a rectangle");
                    yield return (minX, minY, maxX - minX, maxY - minY);
                    (x, y) = points[0];
                    break;
                default:
                    throw new AssertionException($"The raster cannot draw the path command '{command}'.");
            }
        }
    }

    private static void Fill(byte[] pixels, int w, int h, int scale, double x, double y, double width, double height, byte value)
    {
        var (x0, y0) = ((int)Math.Round(x * scale), (int)Math.Round(y * scale));
        var (x1, y1) = (Math.Min(w, (int)Math.Round((x + width) * scale)), Math.Min(h, (int)Math.Round((y + height) * scale)));
        for (var row = Math.Max(0, y0); row < y1; row++)
        {
            pixels.AsSpan((row * w) + Math.Max(0, x0), Math.Max(0, x1 - Math.Max(0, x0))).Fill(value);
        }
    }

    [GeneratedRegex("#([0-9a-fA-F]{6}|[0-9a-fA-F]{3})\\b")]
    private static partial Regex HexColor();

    [GeneratedRegex("[MmHhVvLlZz]|-?[0-9]*\\.?[0-9]+(?:e-?[0-9]+)?")]
    private static partial Regex PathToken();
}
