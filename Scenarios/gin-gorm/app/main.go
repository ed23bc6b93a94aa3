// A small gin service storing users through GORM in SQLite: POST /users creates one, GET /users/:id
// reads it back, GET /healthz answers "ok" once the database is open. The database is opened (and
// its table created) before the service listens, so a binary whose SQLite driver cannot work exits
// at once with the driver's own error.
package main

import (
	"fmt"
	"net/http"
	"os"
	"strconv"

	"github.com/gin-gonic/gin"
)

// User is one stored row.
type User struct {
	ID   uint64 `json:"id"`
	Name string `json:"name"`
}

func main() {
	path := os.Getenv("DB_PATH")
	if path == "" {
		path = "/data/app.db"
	}
	store, err := openStore(path)
	if err != nil {
		fmt.Fprintln(os.Stderr, "open database:", err)
		os.Exit(1)
	}
	gin.SetMode(gin.ReleaseMode)
	router := gin.New()
	router.GET("/healthz", func(c *gin.Context) { c.String(http.StatusOK, "ok") })
	router.POST("/users", func(c *gin.Context) {
		var user User
		if err := c.ShouldBindJSON(&user); err != nil || user.Name == "" {
			c.JSON(http.StatusBadRequest, gin.H{"error": `want {"name": "..."}`})
			return
		}
		user.ID = 0
		if err := store.create(&user); err != nil {
			c.JSON(http.StatusInternalServerError, gin.H{"error": err.Error()})
			return
		}
		c.JSON(http.StatusCreated, user)
	})
	router.GET("/users/:id", func(c *gin.Context) {
		id, err := strconv.ParseUint(c.Param("id"), 10, 64)
		if err != nil {
			c.JSON(http.StatusBadRequest, gin.H{"error": "the id is a number"})
			return
		}
		var user User
		if err := store.find(id, &user); err != nil {
			c.JSON(http.StatusNotFound, gin.H{"error": err.Error()})
			return
		}
		c.JSON(http.StatusOK, user)
	})
	fmt.Println("listening on :8080, database", path, "through", gormName)
	if err := router.Run(":8080"); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}
