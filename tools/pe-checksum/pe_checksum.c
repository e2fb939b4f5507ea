// SPDX-License-Identifier: MIT
//
// pe-checksum FILE...: writes the PE checksum into each image's optional
// header, as the build's last step after the link (lld leaves it 0).
// Windows checks it for kernel drivers (and boot-loaded images); for
// programs it is only informational, but every image gets one.
//
// The checksum is the one CheckSumMappedFile computes: the image read as
// little-endian 16-bit words (an odd last byte padded with zero), the
// checksum field itself counted as zero, added with end-around carry into
// 16 bits, plus the file's length. `make check` verifies it with another
// implementation (pefile), not this one.
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

// Where CheckSum sits: at the same offset in PE32 and PE32+ optional
// headers, after the 4-byte signature and the 20-byte file header.
#define PE_OFFSET_FIELD 0x3c
#define CHECKSUM_IN_OPTIONAL_HEADER 64
#define OPTIONAL_HEADER_OFFSET (4 + 20)

static uint32_t pe_checksum(const unsigned char *image, size_t size, size_t field)
{
    uint32_t sum = 0;

    for (size_t i = 0; i < size; i += 2) {
        uint32_t word = image[i];

        if (i + 1 < size)
            word |= (uint32_t)image[i + 1] << 8;
        if (i >= field && i < field + 4)
            word = 0;
        sum += word;
        sum = (sum & 0xffff) + (sum >> 16);
    }
    sum = (sum & 0xffff) + (sum >> 16);
    return sum + (uint32_t)size;
}

static uint32_t read32(const unsigned char *p)
{
    return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

// Reads all of PATH into a malloc'ed buffer; NULL with errno set on failure.
static unsigned char *read_file(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    unsigned char *data = NULL;
    long length;

    if (!f)
        return NULL;
    if (fseek(f, 0, SEEK_END) != 0 || (length = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0)
        goto out;
    data = malloc(length > 0 ? (size_t)length : 1);
    if (data && fread(data, 1, (size_t)length, f) != (size_t)length) {
        free(data);
        data = NULL;
        errno = EIO;
    }
    *size = (size_t)length;
out:
    fclose(f);
    return data;
}

static int stamp(const char *path)
{
    size_t size = 0, field;
    unsigned char *image = read_file(path, &size);
    unsigned char bytes[4];
    uint32_t pe, sum;
    FILE *f;
    int written = 0;

    if (!image) {
        fprintf(stderr, "pe-checksum: %s: %s\n", path, strerror(errno));
        return 1;
    }
    pe = size >= PE_OFFSET_FIELD + 4 ? read32(image + PE_OFFSET_FIELD) : 0;
    field = (size_t)pe + OPTIONAL_HEADER_OFFSET + CHECKSUM_IN_OPTIONAL_HEADER;
    if (size < 2 || memcmp(image, "MZ", 2) != 0 || field + 4 > size ||
        memcmp(image + pe, "PE\0\0", 4) != 0) {
        fprintf(stderr, "pe-checksum: %s: not a PE image\n", path);
        free(image);
        return 1;
    }
    sum = pe_checksum(image, size, field);
    free(image);
    for (int i = 0; i < 4; i++)
        bytes[i] = (unsigned char)(sum >> (8 * i));
    f = fopen(path, "r+b");
    if (f) {
        written = fseek(f, (long)field, SEEK_SET) == 0 && fwrite(bytes, 1, 4, f) == 4;
        written = fclose(f) == 0 && written;
    }
    if (!written) {
        fprintf(stderr, "pe-checksum: %s: cannot write the checksum: %s\n", path, strerror(errno));
        return 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    int status = 0;

    if (argc < 2) {
        fprintf(stderr, "usage: pe-checksum FILE...\n");
        return 2;
    }
    for (int i = 1; i < argc; i++)
        status |= stamp(argv[i]);
    return status;
}
