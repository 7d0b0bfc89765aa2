/* SPDX-License-Identifier: ISC */
/*
 * The password's fingerprint and layout check (secret.h). The hash is
 * libmd's SHA-256, already linked into the console, so no cryptographic
 * library is loaded at login for it. The key is per appliance (made at
 * install from the kernel's random source), readable by root and admin
 * only: a fingerprint seen over someone's shoulder or in a screenshot
 * cannot be tested against guesses without it, and says nothing about
 * the same password on another appliance. Two words of 256 are 16 bits:
 * enough to catch a paste that went wrong, too few to help a guess.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>

#include <sha2.h>

#include "secret.h"
#include "xmalloc.h"

#define SECRET_BLOCK	SHA256_BLOCK_LENGTH

/* 256 short, distinct words that read aloud unambiguously. */
static const char *const	 secret_words[256] = {
	"acorn", "actor", "adobe", "agent", "alarm", "album", "alder",
	"amber", "angle", "anvil", "apple", "apron", "arena", "arrow",
	"aspen", "atlas", "attic", "autumn", "badge", "bagel", "baker",
	"banjo", "barley", "basil", "basin", "beach", "beacon",
	"beaver", "bell", "berry", "birch", "bison", "blade", "blaze",
	"bloom", "board", "bonnet", "boulder", "bread", "brick",
	"bridge", "brook", "brush", "bucket", "bugle", "butter",
	"cabin", "cactus", "camel", "candle", "canoe", "canyon",
	"carbon", "cargo", "carrot", "castle", "cedar", "cello",
	"chalk", "cherry", "chess", "cider", "cinder", "circus",
	"clay", "cliff", "clock", "cloud", "clover", "cobalt", "cocoa",
	"comet", "copper", "coral", "cotton", "crane", "crater",
	"creek", "cricket", "crown", "cypress", "daisy", "delta",
	"denim", "desert", "diamond", "dolphin", "donkey", "dragon",
	"drum", "eagle", "easel", "ember", "engine", "falcon", "fern",
	"ferry", "fiddle", "field", "flint", "flute", "forest",
	"fossil", "fountain", "fox", "garden", "garnet", "gecko",
	"ginger", "glacier", "globe", "goose", "granite", "grape",
	"gravel", "guitar", "hammer", "harbor", "harp", "hazel",
	"heron", "hickory", "honey", "hornet", "island", "ivory",
	"jacket", "jasmine", "jelly", "jewel", "juniper", "kayak",
	"kettle", "kiwi", "koala", "ladder", "lagoon", "lantern",
	"lemon", "lilac", "linen", "lion", "lobster", "locket",
	"lotus", "magnet", "mango", "maple", "marble", "meadow",
	"melon", "mesa", "meteor", "mint", "mirror", "mitten", "moose",
	"mosaic", "motor", "muffin", "nectar", "needle", "nickel",
	"oasis", "ocean", "olive", "onion", "opal", "orbit", "orchid",
	"otter", "oyster", "paddle", "panda", "parrot", "pasta",
	"peach", "pebble", "pencil", "pepper", "piano", "pigeon",
	"pillow", "pine", "planet", "plum", "pocket", "pony", "poppy",
	"prairie", "pretzel", "pumpkin", "quartz", "quill", "rabbit",
	"radish", "raven", "reef", "ribbon", "river", "robin",
	"rocket", "saddle", "sage", "salmon", "satin", "seal", "shell",
	"silver", "sketch", "sled", "slate", "sparrow", "spider",
	"spruce", "squash", "stamp", "statue", "stone", "storm",
	"sugar", "summit", "sunset", "swan", "table", "tiger",
	"timber", "tomato", "topaz", "torch", "tractor", "trail",
	"tulip", "tundra", "turtle", "velvet", "violet", "violin",
	"wagon", "walnut", "walrus", "whale", "wheat", "willow",
	"window", "winter", "wizard", "wolf", "yarn", "zebra",
	"zephyr", "anchor", "bamboo", "badger", "bramble", "thistle",
};

/*
 * What moves: y and z (QWERTZ), a q w m (AZERTY), @ and " (UK against
 * US), # (where the UK key has pound), \ | < > (the ISO key beside the
 * left Shift), ~ ` ^ (dead keys) and the brackets (AltGr elsewhere).
 */
static const char	 secret_moving[] = "yzaqwmYZAQWM@\"#\\|<>~`^[]{}";

void
secret_hmac_sha256(const unsigned char *key, size_t klen,
    const unsigned char *msg, size_t mlen, unsigned char *out)
{
	SHA2_CTX	 ctx;
	unsigned char	 k[SECRET_BLOCK], pad[SECRET_BLOCK];
	unsigned char	 inner[SHA256_DIGEST_LENGTH];
	size_t		 i;

	memset(k, 0, sizeof k);
	if (klen > SECRET_BLOCK) {
		SHA256Init(&ctx);
		SHA256Update(&ctx, key, klen);
		SHA256Final(k, &ctx);
	} else if (klen > 0)
		memcpy(k, key, klen);

	for (i = 0; i < SECRET_BLOCK; i++)
		pad[i] = k[i] ^ 0x36;
	SHA256Init(&ctx);
	SHA256Update(&ctx, pad, sizeof pad);
	SHA256Update(&ctx, msg, mlen);
	SHA256Final(inner, &ctx);

	for (i = 0; i < SECRET_BLOCK; i++)
		pad[i] = k[i] ^ 0x5c;
	SHA256Init(&ctx);
	SHA256Update(&ctx, pad, sizeof pad);
	SHA256Update(&ctx, inner, sizeof inner);
	SHA256Final(out, &ctx);

	explicit_bzero(k, sizeof k);
	explicit_bzero(pad, sizeof pad);
	explicit_bzero(inner, sizeof inner);
	explicit_bzero(&ctx, sizeof ctx);
}

void
secret_fingerprint(const unsigned char *key, size_t klen, const char *pw,
    char *out, size_t len)
{
	unsigned char	 mac[SHA256_DIGEST_LENGTH];

	secret_hmac_sha256(key, klen, (const unsigned char *)pw, strlen(pw),
	    mac);
	if (xsnprintf(out, len, "%s-%s", secret_words[mac[0]],
	    secret_words[mac[1]]) == -1 && len > 0)
		out[0] = '\0';
	explicit_bzero(mac, sizeof mac);
}

int
secret_key_load(const char *path, unsigned char *key, char **cause)
{
	struct stat	 sb;
	ssize_t		 n;
	int		 fd;

	if ((fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) == -1) {
		xasprintf(cause, "cannot open %s: %s", path, strerror(errno));
		return (-1);
	}
	if (fstat(fd, &sb) == -1 || !S_ISREG(sb.st_mode) ||
	    sb.st_size != SECRET_KEY_LEN) {
		close(fd);
		xasprintf(cause, "%s is not a %d-byte key", path,
		    SECRET_KEY_LEN);
		return (-1);
	}
	do
		n = read(fd, key, SECRET_KEY_LEN);
	while (n == -1 && errno == EINTR);
	close(fd);
	if (n != SECRET_KEY_LEN) {
		explicit_bzero(key, SECRET_KEY_LEN);
		xasprintf(cause, "cannot read %s", path);
		return (-1);
	}
	return (0);
}

int
secret_layout_moves(const char *pw, char *out, size_t len)
{
	char	 seen[sizeof secret_moving];
	size_t	 i, j, used = 0;
	int	 n = 0;

	memset(seen, 0, sizeof seen);
	if (len > 0)
		out[0] = '\0';
	for (i = 0; pw[i] != '\0'; i++) {
		for (j = 0; secret_moving[j] != '\0'; j++) {
			if (pw[i] != secret_moving[j] || seen[j])
				continue;
			seen[j] = 1;
			if (used + 3 <= len) {
				if (used > 0)
					out[used++] = ' ';
				out[used++] = pw[i];
				out[used] = '\0';
			}
			n++;
		}
	}
	explicit_bzero(seen, sizeof seen);
	return (n);
}
