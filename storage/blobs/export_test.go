package blobs

// S3Config mirrors s3Config so that the external tests can check parsing.
type S3Config struct {
	Endpoint, Access, Secret, Bucket, Prefix, Region string
	Secure                                           bool
}

func ParseS3URL(raw string) (S3Config, error) {
	c, err := parseS3URL(raw)
	return S3Config{c.endpoint, c.access, c.secret, c.bucket, c.prefix, c.region, c.secure}, err
}
