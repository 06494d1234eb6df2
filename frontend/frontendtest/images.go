package frontendtest

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"testing"
)

// Images as phones and cameras make them, for the tests of uploads.

// JPEG is a w×h JPEG, red on the left half and blue on the right,
// with an EXIF APP1 segment that holds the orientation, a GPS IFD and a
// description naming the place, as a phone would write.
func JPEG(t testing.TB, w, h int, orientation uint16) []byte {
	t.Helper()
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			c := color.RGBA{R: 220, A: 255}
			if x >= w/2 {
				c = color.RGBA{B: 220, A: 255}
			}
			img.Set(x, y, c)
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 95}); err != nil {
		t.Fatal(err)
	}
	desc := "GPS 48.8414N 2.2930E, Pixel 8\x00"
	be := binary.BigEndian
	tiff := []byte("MM\x00\x2a\x00\x00\x00\x08")
	entry := func(tag, typ uint16, count, value uint32) {
		tiff = be.AppendUint16(tiff, tag)
		tiff = be.AppendUint16(tiff, typ)
		tiff = be.AppendUint32(tiff, count)
		tiff = be.AppendUint32(tiff, value)
	}
	tiff = be.AppendUint16(tiff, 3)
	entry(0x010e, 2, uint32(len(desc)), 68)      // ImageDescription, after the GPS IFD
	entry(0x0112, 3, 1, uint32(orientation)<<16) // Orientation, a SHORT in the first half
	entry(0x8825, 4, 1, 50)                      // the GPS IFD
	tiff = be.AppendUint32(tiff, 0)
	tiff = be.AppendUint16(tiff, 1)
	entry(0x0001, 2, 2, uint32('N')<<24) // GPSLatitudeRef
	tiff = be.AppendUint32(tiff, 0)
	tiff = append(tiff, desc...)
	app1 := append([]byte("Exif\x00\x00"), tiff...)
	seg := be.AppendUint16([]byte{0xff, 0xe1}, uint16(len(app1)+2))
	seg = append(seg, app1...)
	b := buf.Bytes()
	return bytes.Join([][]byte{b[:2], seg, b[2:]}, nil)
}

// PNGChunk is one chunk of a PNG file, with its checksum.
func PNGChunk(typ string, data []byte) []byte {
	c := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
	c = append(c, typ...)
	c = append(c, data...)
	return binary.BigEndian.AppendUint32(c, crc32.ChecksumIEEE(append([]byte(typ), data...)))
}

// PNG is a small PNG with a text chunk after its header.
func PNG(t testing.TB) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, image.NewGray(image.Rect(0, 0, 8, 6))); err != nil {
		t.Fatal(err)
	}
	b := buf.Bytes()
	end := 8 + 25 // signature, then IHDR
	return bytes.Join([][]byte{b[:end], PNGChunk("tEXt", []byte("Comment\x00GPS 48.8414N 2.2930E")), b[end:]}, nil)
}

// HugePNG is the start of a PNG that says it is w×h, 8-bit RGB.
func HugePNG(w, h uint32) []byte { return HeaderPNG(w, h, 8, 2) }

// HeaderPNG is the start of a PNG that says it is w×h, of the bit depth
// and colour type given (16 and 6: 16-bit RGBA).
func HeaderPNG(w, h uint32, depth, colorType byte) []byte {
	ihdr := binary.BigEndian.AppendUint32(nil, w)
	ihdr = binary.BigEndian.AppendUint32(ihdr, h)
	ihdr = append(ihdr, depth, colorType, 0, 0, 0)
	return bytes.Join([][]byte{[]byte("\x89PNG\r\n\x1a\n"), PNGChunk("IHDR", ihdr), PNGChunk("IDAT", []byte{0x78, 0x9c})}, nil)
}

// JPEGMarkers lists the markers of a JPEG's segments before its image data.
func JPEGMarkers(t testing.TB, b []byte) []byte {
	t.Helper()
	var markers []byte
	for i := 2; i+4 <= len(b); {
		if b[i] != 0xff {
			t.Fatalf("not a marker at %d", i)
		}
		m := b[i+1]
		markers = append(markers, m)
		if m == 0xda {
			break
		}
		i += 2 + int(binary.BigEndian.Uint16(b[i+2:]))
	}
	return markers
}
