package synth

const hexDigits = "0123456789abcdef"

// appendUUID appends a version-4-shaped UUID derived deterministically from
// the given parts (seed, stream tag, tenant, person, day, sequence): reruns
// produce the same ids, different seeds different ones.
func appendUUID(b []byte, parts ...uint64) []byte {
	hi := key(parts...)
	lo := mix(hi ^ 0xa0761d6478bd642f)
	hi = hi&^(0xf<<12) | 0x4<<12 // version 4 in bits 12-15 of the third group
	lo = lo&^(0x3<<62) | 0x2<<62 // RFC 4122 variant
	var raw [16]byte
	for i := 0; i < 8; i++ {
		raw[i] = byte(hi >> (56 - 8*i))
		raw[8+i] = byte(lo >> (56 - 8*i))
	}
	for i, x := range raw {
		if i == 4 || i == 6 || i == 8 || i == 10 {
			b = append(b, '-')
		}
		b = append(b, hexDigits[x>>4], hexDigits[x&0xf])
	}
	return b
}

// uuidString is appendUUID as a string.
func uuidString(parts ...uint64) string {
	return string(appendUUID(make([]byte, 0, 36), parts...))
}
