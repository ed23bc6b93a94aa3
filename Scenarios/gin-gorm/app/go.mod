module gin-gorm

go 1.19

require (
	github.com/gin-gonic/gin v1.9.1
	gorm.io/driver/sqlite v1.5.4
	gorm.io/gorm v1.25.5
)
